"""``/api/v1/cards``: pass-it-on cards. Make one for an act of yours, withdraw
it, list yours with their claims, and claim someone else's by its code."""

from flask import current_app
from marshmallow import Schema, fields, validate

from kindness.api import keys, pagination, strict
from kindness.api.auth import current_person
from kindness.api.pagination import PageArgs, page_of
from kindness.api.strict import Blueprint
from kindness.domain import acts, passes
from kindness.domain.errors import NotFound
from kindness.extensions import limiter
from kindness.schemas.cards import CardSchema
from kindness.schemas.received import ReceivedSchema
from kindness.sessions import get_session

blueprint = Blueprint(
    "api_cards",
    __name__,
    url_prefix="/cards",
    description="Pass-it-on cards: make them for your acts, and claim others' by code.",
)

ID_MAX = 2**31 - 1


def _claim_limit() -> str:
    # The claim page's own limit (``kindness.web.passes``), on top of the token's.
    return current_app.config["CLAIM_LIMIT"]


class CardMakeSchema(Schema):
    act_id = strict.Integer(
        required=True,
        validate=validate.Range(1, ID_MAX),
        metadata={"description": "The number of your act to pass on."},
    )
    show_text = strict.Boolean(
        load_default=None,
        metadata={
            "description": "Whether the card shows the act's text to its holder. "
            "Left out: an open card stays as it is, a new one shows no text."
        },
    )


class CardClaimSchema(Schema):
    code = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The card's claim code (the end of its /p/<code> link)."},
    )
    named = strict.Boolean(
        load_default=False,
        metadata={"description": "Show your display name in the act's chain (else “someone”)."},
    )


@blueprint.route("")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(CardSchema, "CardPage"))
def list_cards(args):
    """Every card you made, newest first: open, claimed (by whom, if they chose
    to be named) or withdrawn."""
    cards = passes.cards_page(
        get_session(), current_person(), keys.id_key(args["cursor"]), args["limit"] + 1
    )
    return pagination.page(cards, args["limit"], lambda card: [card.link.id])


@blueprint.route("", methods=["POST"])
@blueprint.arguments(CardMakeSchema)
@blueprint.response(201, CardSchema)
@blueprint.alt_response(404, response="NOT_FOUND")
@blueprint.alt_response(409, response="CONFLICT")
def make(data):
    """Make the card of one of your acts (or answer its open card, with `show_text`
    changed when given). An act claimed already, or hidden by a moderator: 409."""
    session = get_session()
    act = acts.get_own(session, current_person(), data["act_id"])
    link = passes.create(session, act, show_text=data["show_text"])
    return passes.AuthorCard(link, "open")


@blueprint.route("/<id:act_id>")
@blueprint.response(200, CardSchema)
def read_card(act_id: int):
    """The card of one of your acts as you see it: the claimed one, else the open
    one, else the last one withdrawn (an act that never had a card: 404)."""
    session = get_session()
    card = passes.author_card(session, acts.get_own(session, current_person(), act_id))
    if card is None:
        raise NotFound()
    return card


@blueprint.route("/<id:act_id>/revoke", methods=["POST"])
@blueprint.response(200, CardSchema)
@blueprint.alt_response(409, response="CONFLICT")
def revoke(act_id: int):
    """Withdraw the open card of one of your acts, so that its code no longer
    works (no open card: 409)."""
    session = get_session()
    link = passes.revoke(session, acts.get_own(session, current_person(), act_id))
    return passes.AuthorCard(link, "revoked")


@blueprint.route("/claim", methods=["POST"])
@limiter.limit(_claim_limit)
@blueprint.arguments(CardClaimSchema)
@blueprint.response(200, ReceivedSchema)
@blueprint.alt_response(404, response="NOT_FOUND")
@blueprint.alt_response(409, response="CONFLICT")
def claim(data):
    """Claim a card by its code: its act becomes kindness you received, to pass on.

    An unknown code: 404. Claimed already, even a moment ago by someone else:
    409 `card-claimed`. Withdrawn, hidden, its giver suspended, or your own act:
    409 `rule-violation`. A refused claim changes nothing."""
    session = get_session()
    person = current_person()
    act = passes.claim(session, data["code"], person, named=data["named"])
    return passes.received_act(session, person, act.id)
