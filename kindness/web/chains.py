"""Chain pages: the picture, an outline for screen readers, and the masked chain
as SVG, JSON and GraphML."""

import re
from datetime import date
from xml.sax.saxutils import escape as xml_escape

from flask import Blueprint, Response, render_template, request

from kindness.domain import explore
from kindness.domain.chains import growth as chain_growth
from kindness.domain.chains import view as chain_view
from kindness.domain.chains.masking import MaskedAct
from kindness.sessions import get_session
from kindness.urls import absolute_url_for
from kindness.web import cached_pictures, card_pictures, growth_pictures
from kindness.web.card_pictures import card_words
from kindness.web.chain_pictures import picture
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
    growth = chain_growth.of_chain(db_session, stats)
    weeks = chain_growth.week_indexes(
        db_session, growth, stats.root_id, [node.id for node in view.nodes]
    )
    return render_template(
        "chains/page.html",
        view=view,
        growth=growth,
        growth_figures=growth_pictures.figures(growth),
        growth_chart=cached_pictures.growth_chart(growth),
        replay=growth_pictures.replay(growth, view, weeks),
        picture=cached_pictures.chain_picture(view),
        outline=cached_pictures.chain_outline(view),
        share_url=absolute_url_for("chains.page", ref=view.root_ref),
        card_url=absolute_url_for("chains.card_png", ref=view.root_ref),
        headline=headline,
        figures=figures,
        first_text=explore.first_public_text(db_session, stats.root_id),
    )


# A link inside the picture: an attribute whose value is a path on this site.
_SITE_LINK = re.compile(r'(\shref=")(/[^"]*)"')


def _absolute_links(svg: str) -> str:
    """Put the downloaded picture's links on ``BASE_URL``: a file saved elsewhere
    has no site for a path to be relative to."""
    base = absolute_url_for("main.index").rstrip("/")
    script_root = request.script_root
    return _SITE_LINK.sub(
        lambda match: f'{match[1]}{base}{match[2].removeprefix(script_root)}"', svg
    )


@bp.get("/<ref>.svg")
def svg(ref: str):
    """The chain's picture alone, its links absolute."""
    db_session, viewer, act, stats = _load(ref)
    view = chain_view.build(db_session, act, stats, viewer)
    return Response(_absolute_links(str(picture(view))), mimetype="image/svg+xml")


def _as_data(node: MaskedAct, refs: dict[int, str], weeks: dict[int, date]) -> dict:
    parent = refs.get(node.parent_id) if node.parent_id is not None else None
    data: dict = {"ref": node.ref, "parent": parent, "generation": node.depth}
    # Every act shows its week, a private one no more than that.
    if node.id in weeks:
        data["week"] = weeks[node.id].isoformat()
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
    growth = chain_growth.of_chain(db_session, stats)
    weeks = chain_growth.weeks(db_session, stats.root_id)
    return {
        "acts": stats.acts,
        "reach": stats.reach,
        "generations": stats.generations,
        "figures": growth.as_data(),
        "nodes": [_as_data(node, refs, weeks) for node in nodes],
    }


# GraphML attributes and their declared types.
NODE_KEYS = {
    "what": "string",
    "date": "string",
    "week": "string",
    "category": "string",
    "author": "string",
    "recipient": "string",
    "generation": "int",
    "placeholder": "boolean",
}
GRAPH_KEYS = {
    "acts": "int",
    "reach": "int",
    "generations": "int",
    "widest_generation": "int",
    "branches": "int",
    "passed_on": "int",
    "passed_on_share": "double",
    "span_weeks": "int",
}


def _graphml_value(value) -> str:
    # GraphML booleans are lower case; everything else as written.
    return str(value).lower() if isinstance(value, bool) else xml_escape(str(value))


@bp.get("/<ref>.graphml")
def as_graphml(ref: str):
    """The masked chain as GraphML, for graph tools."""
    db_session, viewer, _act, stats = _load(ref)
    nodes = chain_view.export(db_session, stats.root_id, viewer)
    refs = {node.id: node.ref for node in nodes}
    figures = chain_growth.of_chain(db_session, stats).as_data()
    weeks = chain_growth.weeks(db_session, stats.root_id)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        *(
            f'<key id="{key}" for="node" attr.name="{key}" attr.type="{kind}"/>'
            for key, kind in NODE_KEYS.items()
        ),
        *(
            f'<key id="{key}" for="graph" attr.name="{key}" attr.type="{kind}"/>'
            for key, kind in GRAPH_KEYS.items()
        ),
        '<graph id="chain" edgedefault="directed">',
        *(f'<data key="{key}">{_graphml_value(figures[key])}</data>' for key in GRAPH_KEYS),
    ]
    for node in nodes:
        data = _as_data(node, refs, weeks)
        values = "".join(
            f'<data key="{key}">{_graphml_value(data[key])}</data>'
            for key in NODE_KEYS
            if data.get(key) is not None
        )
        lines.append(f'<node id="{xml_escape(node.ref)}">{values}</node>')
        if data["parent"]:
            lines.append(
                f'<edge source="{xml_escape(data["parent"])}" target="{xml_escape(node.ref)}"/>'
            )
    lines += ["</graph>", "</graphml>"]
    return Response("\n".join(lines), mimetype="application/graphml+xml")
