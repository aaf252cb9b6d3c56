"""The shape of a refusal: a problem document (RFC 9457). The boundary writes them
(``kindness.web.errors``); this schema describes them in the OpenAPI document."""

from marshmallow import Schema, fields

PROBLEM_JSON = "application/problem+json"


class ProblemSchema(Schema):
    type = fields.String(
        metadata={"description": "Stable for each kind of problem; links to its description."}
    )
    title = fields.String(metadata={"description": "A short summary of the kind of problem."})
    status = fields.Integer(metadata={"description": "The HTTP status code."})
    detail = fields.String(metadata={"description": "What went wrong this time."})
    instance = fields.String(metadata={"description": "The path that was asked for."})
    errors = fields.Dict(
        metadata={"description": "Per field, what is wrong with it (for invalid input)."}
    )
