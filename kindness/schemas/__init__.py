"""The JSON shapes the API answers with and the data export writes.

One module per resource, each a marshmallow ``Schema`` that dumps the person's own
data as the pages show it: ORM objects, or the domain's small dataclasses where a
page shows more than one row (a received act with its giver's name, an inbox entry
with its chain's figures). Ids are the ones the pages put in their URLs (an own
act's or contact's number, a chain's ``ref``, a team's slug), never an internal id
a page does not use. Masking stays in the domain: a schema only names attributes.
"""
