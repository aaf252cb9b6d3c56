"""Chain pages: the picture, an outline for screen readers, and the masked chain
as SVG, JSON and GraphML."""

from xml.sax.saxutils import escape as xml_escape

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext

from kindness.domain.chains import view as chain_view
from kindness.domain.chains.masking import MaskedAct
from kindness.render.share_card import share_card_svg
from kindness.sessions import get_session
from kindness.web.chain_pictures import outline, picture
from kindness.web.urls import absolute_url_for
from kindness.web.viewer import current_viewer

bp = Blueprint("chains", __name__, url_prefix="/chains")


def _load(ref: str):
    db_session = get_session()
    viewer = current_viewer()
    act, stats = chain_view.find(db_session, ref, viewer)
    return db_session, viewer, act, stats


@bp.get("/<ref>")
def page(ref: str):
    """Show a chain, masked for the viewer, with the path to the chosen act."""
    db_session, viewer, act, stats = _load(ref)
    open_ref = request.args.get("open") or None
    skip = request.args.get("skip", 0, type=int)
    view = chain_view.build(db_session, act, stats, viewer, open_ref=open_ref, skip=skip)
    headline, figures = card_words(stats)
    return render_template(
        "chains/page.html",
        view=view,
        picture=picture(view),
        outline=outline(view),
        share_url=absolute_url_for("chains.page", ref=view.root_ref),
        card_url=absolute_url_for("chains.card", ref=view.root_ref),
        headline=headline,
        figures=figures,
    )


@bp.get("/<ref>.svg")
def svg(ref: str):
    """The chain's picture alone."""
    db_session, viewer, act, stats = _load(ref)
    view = chain_view.build(db_session, act, stats, viewer)
    return Response(str(picture(view)), mimetype="image/svg+xml")


def _as_data(node: MaskedAct, refs: dict[int, str]) -> dict:
    parent = refs.get(node.parent_id) if node.parent_id is not None else None
    data = {"ref": node.ref, "parent": parent, "generation": node.depth}
    if node.visible and node.performed_on is not None:
        data.update(
            what=node.what,
            date=node.performed_on.isoformat(),
            category=node.category,
            author=node.author_name,
            recipient=node.recipient_name,
        )
    else:
        data["placeholder"] = True
    return data


def card_words(stats) -> tuple[str, str]:
    headline = _("This kindness travelled")
    figures = _(
        "through %(people)s in %(generations)s",
        people=ngettext("%(num)d person", "%(num)d people", stats.reach),
        generations=ngettext("%(num)d generation", "%(num)d generations", stats.generations),
    )
    return headline, figures


@bp.get("/<ref>/card.svg")
def card(ref: str):
    """The link-preview picture of a chain: its figures, nothing private."""
    _db_session, _viewer, _act, stats = _load(ref)
    headline, figures = card_words(stats)
    svg = share_card_svg(headline=headline, figures=figures, brand=_("Kindness"))
    return Response(str(svg), mimetype="image/svg+xml")


@bp.get("/<ref>.json")
def as_json(ref: str):
    """The masked chain as JSON."""
    db_session, viewer, _act, stats = _load(ref)
    nodes = chain_view.export(db_session, stats.root_id, viewer)
    refs = {node.id: node.ref for node in nodes}
    return {
        "acts": stats.acts,
        "reach": stats.reach,
        "generations": stats.generations,
        "nodes": [_as_data(node, refs) for node in nodes],
    }


@bp.get("/<ref>.graphml")
def as_graphml(ref: str):
    """The masked chain as GraphML, for graph tools."""
    db_session, viewer, _act, stats = _load(ref)
    nodes = chain_view.export(db_session, stats.root_id, viewer)
    refs = {node.id: node.ref for node in nodes}
    keys = ("what", "date", "category", "author", "recipient", "generation", "placeholder")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        *(f'<key id="{key}" for="node" attr.name="{key}" attr.type="string"/>' for key in keys),
        '<graph id="chain" edgedefault="directed">',
    ]
    for node in nodes:
        data = _as_data(node, refs)
        values = "".join(
            f'<data key="{key}">{xml_escape(str(data[key]))}</data>'
            for key in keys
            if data.get(key) is not None
        )
        lines.append(f'<node id="{xml_escape(node.ref)}">{values}</node>')
        if data["parent"]:
            lines.append(
                f'<edge source="{xml_escape(data["parent"])}" target="{xml_escape(node.ref)}"/>'
            )
    lines += ["</graph>", "</graphml>"]
    return Response("\n".join(lines), mimetype="application/graphml+xml")
