"""``/api/v1/explore/...``: the public listings of the explore pages, the
public chains and the directory of public teams, with the pages' filters.

The listings are the domain's own pages (``explore.listing``,
``directory.listing``: ``PAGE_SIZE`` items, a page number). Their orders (reach,
generations, the listing's filtered walks) are not a key a cursor could hold
cheaply, so the cursor holds the next page's number: opaque to the client,
checked like every cursor (a page beyond ``PAGE_MAX`` is not one we give)."""

from flask_babel import gettext as _
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from kindness.api import pagination
from kindness.api.strict import Blueprint
from kindness.domain import explore
from kindness.domain.chains.statistics import LISTING_ORDERS
from kindness.domain.teams import directory
from kindness.models import CATEGORIES
from kindness.schemas.explore import ListedChain, ListedChainSchema, ListedTeamSchema
from kindness.sessions import get_read_session

blueprint = Blueprint(
    "api_explore",
    __name__,
    url_prefix="/explore",
    description="The public chains and the public teams, as the explore pages list them.",
)


class PageCursor(Schema):
    cursor = fields.String(
        load_default=None,
        validate=validate.Length(max=200),
        metadata={"description": "`next_cursor` of the page before; none for the first page."},
    )


class ChainListArgs(PageCursor):
    sort = fields.String(
        load_default="reach",
        validate=validate.OneOf(list(LISTING_ORDERS)),
        metadata={"description": "The order: most people reached, most generations, ..."},
    )
    category = fields.String(
        load_default=None,
        validate=validate.OneOf(CATEGORIES),
        metadata={"description": "Only chains with a public act in this category."},
    )
    q = fields.String(
        load_default=None,
        validate=validate.Length(max=explore.QUERY_MAX),
        metadata={"description": "Words a public act of the chain has (all of them)."},
    )


class TeamListArgs(PageCursor):
    sort = fields.String(
        load_default="name",
        validate=validate.OneOf(list(directory.ORDERS)),
        metadata={"description": "By name, or the newest first."},
    )
    q = fields.String(
        load_default=None,
        validate=validate.Length(max=directory.QUERY_MAX),
        metadata={"description": "Text its name or description contains."},
    )


def _page_number(cursor: str | None) -> int:
    key = pagination.decode(cursor, (int,))
    if key is None:
        return 1
    if not 1 <= key[0] <= explore.PAGE_MAX:
        abort(422, messages={"query": {"cursor": [_("This cursor is not one we gave.")]}})
    return key[0]


def _next_cursor(number: int, has_next: bool) -> str | None:
    return pagination.encode([number + 1]) if has_next and number < explore.PAGE_MAX else None


def _words(text: str | None) -> str | None:
    return (text or "").strip() or None


@blueprint.route("/chains")
@blueprint.arguments(ChainListArgs, location="query")
@blueprint.response(200, pagination.page_of(ListedChainSchema, "ListedChainPage"))
def explore_chains(args):
    """The chains with at least one public act, filtered and sorted as on the explore page."""
    number = _page_number(args["cursor"])
    listing = explore.listing(
        get_read_session(),
        order=args["sort"],
        page=number,
        category=args["category"],
        query=_words(args["q"]),
    )
    return {
        "items": [
            ListedChain(stats, listing.refs[stats.root_id], listing.texts.get(stats.root_id))
            for stats in listing.chains
            if stats.root_id in listing.refs
        ],
        "next_cursor": _next_cursor(number, listing.has_next),
    }


@blueprint.route("/teams")
@blueprint.arguments(TeamListArgs, location="query")
@blueprint.response(200, pagination.page_of(ListedTeamSchema, "ListedTeamPage"))
def explore_teams(args):
    """The public teams, by name or newest, as in the team directory; joining is by invite only."""
    number = _page_number(args["cursor"])
    found = directory.listing(
        get_read_session(), order=args["sort"], page=number, query=_words(args["q"])
    )
    return {"items": found.entries, "next_cursor": _next_cursor(number, found.has_next)}
