"""Chain pages: the picture, an outline for screen readers, and the masked chain
as SVG, JSON and GraphML.

Every page here reads the chain through ``get_read_session()``: the read
replica when one is configured. Who is looking (the signed-in person and their
team mates, ``current_viewer``) is read from the primary.
"""

import hashlib
import re
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import get_locale

from kindness.domain import explore
from kindness.domain.chains import export as chain_export
from kindness.domain.chains import growth as chain_growth
from kindness.domain.chains import view as chain_view
from kindness.domain.chains.masking import Viewer
from kindness.sessions import get_read_session, read_sessionmaker
from kindness.urls import absolute_url_for
from kindness.web import cached_pictures, card_pictures, compression, growth_pictures, safe_json
from kindness.web.card_pictures import card_words
from kindness.web.chain_pictures import picture
from kindness.web.viewer import current_viewer

bp = Blueprint("chains", __name__, url_prefix="/chains")


def _load(ref: str):
    viewer = current_viewer()
    db_session = get_read_session()
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


# -- downloads ----------------------------------------------------------------
# The picture, JSON and GraphML of a chain are answered with an ETag of what
# they depend on (the chain's version, the viewer's masking class, the
# language): the browser keeps its copy ("private": never a shared cache, as it
# is masked for one viewer) and asks again each time ("no-cache"), and an
# unchanged chain answers 304 without being read. JSON and GraphML are written
# as they are read, a batch of acts at a time, and gzipped on the way when the
# browser accepts it (kindness.web.compression).


def _export_tag(db_session, stats, viewer, form: str) -> str:
    parts = (
        form,
        chain_export.version(db_session, stats, viewer),
        str(get_locale()),
        absolute_url_for("main.index"),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _keep_private(response: Response, tag: str) -> Response:
    response.set_etag(tag, weak=True)
    response.headers["Cache-Control"] = "private, no-cache"
    # Masked for the signed-in viewer, in their language.
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def _not_modified(tag: str) -> Response:
    response = _keep_private(Response(status=304), tag)
    response.vary.add("Accept-Encoding")
    return response


def _export_response(chunks: Iterable[bytes], mimetype: str, tag: str) -> Response:
    return _keep_private(compression.streamed(chunks, mimetype), tag)


@bp.get("/<ref>.svg")
def svg(ref: str):
    """The chain's picture alone, its links absolute."""
    db_session, viewer, act, stats = _load(ref)
    tag = _export_tag(db_session, stats, viewer, "svg")
    if request.if_none_match.contains_weak(tag):
        return _not_modified(tag)
    view = chain_view.build(db_session, act, stats, viewer)
    return _export_response([_absolute_links(str(picture(view))).encode()], "image/svg+xml", tag)


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


def _rows(root_id: int, viewer: Viewer) -> Iterator[list[chain_export.Node]]:
    """The chain's masked acts, read while the answer is written: after the
    request's own session has been committed and closed, so on a session of
    their own, closed with the last row (or when the answer is abandoned)."""
    sessionmaker = read_sessionmaker()

    def read() -> Iterator[list[chain_export.Node]]:
        with sessionmaker() as own_session:
            yield from chain_export.rows(own_session, root_id, viewer)

    return read()


def _json_nodes(batches: Iterator[list[chain_export.Node]]) -> Iterator[bytes]:
    """The acts as the members of a JSON list, exactly as ``json.dumps`` with
    sorted keys and no spaces writes them (the nodes' keys come sorted), a batch
    at a time."""
    separator = b""
    for batch in batches:
        if batch:
            # The batch as a list, without its brackets.
            yield separator + safe_json.compact_bytes(batch)[1:-1]
            separator = b","


@bp.get("/<ref>.json")
def as_json(ref: str):
    """The masked chain as JSON: its figures and every act, parents first."""
    db_session, viewer, _act, stats = _load(ref)
    tag = _export_tag(db_session, stats, viewer, "json")
    if request.if_none_match.contains_weak(tag):
        return _not_modified(tag)
    # Written as Flask writes a dict (sorted keys, no spaces), the nodes streamed.
    dumps = current_app.json.dumps
    compact = {"separators": (",", ":"), "sort_keys": True}
    head = (
        f'{{"acts":{stats.acts},'
        f'"figures":{dumps(chain_growth.of_chain(db_session, stats).as_data(), **compact)},'
        f'"generations":{stats.generations},"nodes":['
    )
    tail = f'],"reach":{stats.reach}}}\n'
    rows = _rows(stats.root_id, viewer)
    return _export_response(
        chain([head.encode()], _json_nodes(rows), [tail.encode()]), "application/json", tag
    )


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


def _xml(text: Any) -> str:
    # As xml_escape, which most texts (and every generated reference) do not need.
    return xml_escape(text) if "&" in text or "<" in text or ">" in text else text


def _graphml_nodes(batches: Iterator[list[chain_export.Node]]) -> Iterator[bytes]:
    """The acts as GraphML nodes, each followed by the edge from its parent, one
    line each, a batch at a time (no data element for an empty value)."""
    for batch in batches:
        lines = []
        for node in batch:
            ref = _xml(node["ref"])
            if "placeholder" in node:
                values = (
                    f'<data key="week">{node["week"]}</data>'
                    f'<data key="generation">{node["generation"]}</data>'
                    '<data key="placeholder">true</data>'
                )
            else:
                what, category = node["what"], node["category"]
                author, recipient = node["author"], node["recipient"]
                values = (
                    ("" if what is None else f'<data key="what">{_xml(what)}</data>')
                    + f'<data key="date">{node["date"]}</data>'
                    + f'<data key="week">{node["week"]}</data>'
                    + ("" if category is None else f'<data key="category">{_xml(category)}</data>')
                    + ("" if author is None else f'<data key="author">{_xml(author)}</data>')
                    + (
                        ""
                        if recipient is None
                        else f'<data key="recipient">{_xml(recipient)}</data>'
                    )
                    + f'<data key="generation">{node["generation"]}</data>'
                )
            lines.append(f'\n<node id="{ref}">{values}</node>')
            if parent := node["parent"]:
                lines.append(f'\n<edge source="{_xml(parent)}" target="{ref}"/>')
        yield "".join(lines).encode()


@bp.get("/<ref>.graphml")
def as_graphml(ref: str):
    """The masked chain as GraphML, for graph tools."""
    db_session, viewer, _act, stats = _load(ref)
    tag = _export_tag(db_session, stats, viewer, "graphml")
    if request.if_none_match.contains_weak(tag):
        return _not_modified(tag)
    figures = chain_growth.of_chain(db_session, stats).as_data()
    head = "\n".join(
        [
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
    )
    rows = _rows(stats.root_id, viewer)
    return _export_response(
        chain([head.encode()], _graphml_nodes(rows), [b"\n</graph>\n</graphml>"]),
        "application/graphml+xml",
        tag,
    )
