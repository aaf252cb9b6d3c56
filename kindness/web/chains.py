"""Chain pages: the picture, an outline for screen readers, and the masked chain
as SVG, JSON and GraphML."""

from xml.sax.saxutils import escape as xml_escape

from flask import Blueprint, Response, render_template, request

from kindness.domain import explore
from kindness.domain.chains import view as chain_view
from kindness.domain.chains.masking import MaskedAct
from kindness.sessions import get_session
from kindness.web import card_pictures
from kindness.web.card_pictures import card_words
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
        card_url=absolute_url_for("chains.card_png", ref=view.root_ref),
        headline=headline,
        figures=figures,
        first_text=explore.first_public_text(db_session, stats.root_id),
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


@bp.get("/<ref>/card.svg")
def card(ref: str):
    """The link-preview picture of a chain: its figures, nothing private."""
    _db_session, _viewer, _act, stats = _load(ref)
    return Response(card_pictures.chain_card_svg(stats), mimetype="image/svg+xml")


# Link previews are fetched again and again by the apps' bots; an hour is short
# enough for a growing chain's figures to show soon, the ETag makes re-asking cheap.
CARD_MAX_AGE = 3600


@bp.get("/<ref>/card.png")
def card_png(ref: str):
    """The link-preview picture of a chain as PNG, for the apps that show no SVG."""
    _db_session, _viewer, _act, stats = _load(ref)
    tag = card_pictures.etag(card_pictures.chain_card_key(stats))
    if request.if_none_match.contains_weak(tag):
        response = Response(status=304)
    else:
        response = Response(card_pictures.chain_card_png(stats), mimetype="image/png")
    response.set_etag(tag)
    # A chain without a public act is shown to signed-in people only: no shared
    # cache may keep its card and hand it to anyone else.
    visibility = "public" if stats.public_acts > 0 else "private"
    response.headers["Cache-Control"] = f"{visibility}, max-age={CARD_MAX_AGE}"
    # The words follow the language chosen by cookie or by the browser.
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


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
