"""``/api/v1/chains/<ref>``: a chain read by the reference of any of its acts,
masked for the person exactly as the chain page masks it
(``domain.chains.view.build``), and folded as the page folds it: at most
``view.BUDGET`` acts, the rest as folds to open with ``open`` and ``skip``."""

from marshmallow import Schema, fields, validate

from kindness.api.auth import current_person
from kindness.api.strict import Blueprint
from kindness.domain.chains import view as chain_view
from kindness.domain.teams import membership
from kindness.models import REF_MAX
from kindness.schemas.chains import ChainSchema, shown
from kindness.sessions import get_read_session, get_session

blueprint = Blueprint(
    "api_chains",
    __name__,
    url_prefix="/chains",
    description="Chains, as their pages show them to you.",
)


class ChainArgs(Schema):
    open = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=REF_MAX),
        metadata={"description": "Open the view at this act of the chain (a fold's `parent`)."},
    )
    skip = fields.Integer(
        load_default=0,
        validate=validate.Range(0, 2**31 - 1),
        metadata={"description": "Forwards of the opened act to leave out (a fold's `skip`)."},
    )


@blueprint.route("/<ref>")
@blueprint.arguments(ChainArgs, location="query")
@blueprint.response(200, ChainSchema)
def read_chain(args, ref: str):
    """A chain by the reference of one of its acts, masked for you.

    Acts you may not read are placeholders (their place only); a chain you may
    not see answers 404, as one that does not exist. A big chain is folded as on
    its page: each fold says how to read on."""
    viewer = membership.viewer_of(get_session(), current_person().id)
    db_session = get_read_session()
    act, stats = chain_view.find(db_session, ref, viewer)
    view = chain_view.build(
        db_session, act, stats, viewer, open_ref=args["open"], skip=args["skip"]
    )
    return shown(view)
