"""Chain pages: the picture, an outline for screen readers, and the masked chain
as SVG, JSON and GraphML."""

from xml.sax.saxutils import escape as xml_escape

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import format_date, ngettext, pgettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from kindness import chain_view, teams
from kindness.db import get_session
from kindness.masking import MaskedAct, Viewer
from kindness.render.chain import ChainNode, chain_svg
from kindness.render.share_card import share_card_svg
from kindness.web.urls import absolute_url_for

bp = Blueprint("chains", __name__, url_prefix="/chains")


def current_viewer() -> Viewer:
    """Who is looking, with the people they share a team with (for team acts)."""
    if current_user.is_authenticated:
        return Viewer(
            user_id=current_user.id, team_mates=teams.team_mates(get_session(), current_user.id)
        )
    return Viewer()


def describe(node: MaskedAct) -> str:
    """The one line under an act: who for whom, when."""
    if not node.visible:
        return ""
    # "someone" as the subject or object of a chain line (German: jemand).
    author = node.author_name or pgettext("chain line", "someone")
    recipient = node.recipient_name or pgettext("chain line", "someone")
    return _(
        "%(author)s → %(recipient)s · %(day)s",
        author=author,
        recipient=recipient,
        day=format_date(node.performed_on, "medium"),
    )


def hidden_label(count: int) -> str:
    return ngettext("+%(num)d act", "+%(num)d acts", count)


def _stand_in(view: chain_view.ChainView, stand_in: chain_view.Collapsed, parent_key: str):
    return ChainNode(
        key=f"more-{stand_in.parent_id}-{stand_in.open_ref}",
        parent_key=parent_key,
        kind="collapsed",
        label=hidden_label(stand_in.hidden),
        title=_("Show these acts"),
        href=url_for(
            "chains.page", ref=view.root_ref, open=stand_in.open_ref, skip=stand_in.skip or None
        ),
    )


def picture(view: chain_view.ChainView, id_prefix: str = "chain", team_refs=frozenset()):
    refs = {node.id: node.ref for node in view.nodes}
    gap_key = None
    if view.gap is not None:
        gap_key = _stand_in(view, view.gap, view.root_ref).key
    nodes = []
    for node in view.nodes:
        parent_key = refs.get(node.parent_id)
        if parent_key is None and node.parent_id is not None:
            parent_key = gap_key  # the first ancestor shown below the fold
        nodes.append(_node(view, node, parent_key, node.ref in team_refs))
        if gap_key and node.ref == view.root_ref:
            nodes.append(_stand_in(view, view.gap, view.root_ref))
    nodes += [_stand_in(view, stand_in, refs[stand_in.parent_id]) for stand_in in view.collapsed]
    return chain_svg(
        nodes,
        title=_("A chain of kindness"),
        description=_(
            "%(acts)d acts, %(people)d people, %(generations)d generations.",
            acts=view.stats.acts,
            people=view.stats.reach,
            generations=view.stats.generations,
        ),
        id_prefix=id_prefix,
    )


def _node(
    view: chain_view.ChainView, node: MaskedAct, parent_key: str | None, is_team: bool = False
) -> ChainNode:
    return ChainNode(
        key=node.ref,
        parent_key=parent_key,
        kind="act" if node.visible else "placeholder",
        label=node.what or "",
        sublabel=describe(node),
        title=(node.what or "") if node.visible else _("An act someone did"),
        href=url_for("chains.page", ref=node.ref),
        is_own=node.is_own,
        on_path=node.id in view.path,
        is_team=is_team,
    )


def outline(view: chain_view.ChainView) -> Markup:
    """The chain as nested lists, for screen readers and for reading without the
    picture; built iteratively, since chains can be deep."""
    children: dict[int | None, list] = {}
    for node in view.nodes:
        children.setdefault(node.parent_id, []).append(node)
    for stand_in in view.collapsed:
        children.setdefault(stand_in.parent_id, []).append(stand_in)
    if view.gap is not None:
        children.setdefault(view.gap.parent_id, []).insert(0, view.gap)
    top = [node for node in view.nodes if node.parent_id not in {n.id for n in view.nodes}]
    parts = ['<ul class="chain-outline">']
    stack = [iter(top)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            parts.append("</ul></li>" if stack else "</ul>")
            continue
        parts.append("<li>" + _outline_item(view, item))
        kids = children.get(item.id) if isinstance(item, MaskedAct) else None
        if kids:
            parts.append("<ul>")
            stack.append(iter(kids))
        else:
            parts.append("</li>")
    return Markup("".join(parts))  # noqa: S704  (every part is escaped)


def _outline_item(view: chain_view.ChainView, item) -> str:
    if isinstance(item, chain_view.Collapsed):
        href = url_for("chains.page", ref=view.root_ref, open=item.open_ref, skip=item.skip or None)
        return f'<a href="{escape(href)}">{escape(hidden_label(item.hidden))}</a>'
    marks = []
    if item.id in view.path:
        marks.append(_("on the chosen path"))
    if item.is_own:
        marks.append(_("yours"))
    suffix = f" ({escape(', '.join(marks))})" if marks else ""
    generation = escape(_("Generation %(number)d", number=item.depth))
    if not item.visible:
        placeholder = _("an act someone did")
        return f"{generation}: {escape(placeholder)}{suffix}"
    href = url_for("chains.page", ref=item.ref)
    report = ""
    if current_user.is_authenticated and item.visibility == "public" and not item.is_own:
        report_href = url_for("explore.report", ref=item.ref)
        report_word = _("report")
        report = f' · <a href="{escape(report_href)}">{escape(report_word)}</a>'
    return (
        f'{generation}: <a href="{escape(href)}">{escape(item.what)}</a> '
        f'<span class="muted">{escape(describe(item))}</span>{suffix}{report}'
    )


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
    data = {"ref": node.ref, "parent": refs.get(node.parent_id), "generation": node.depth}
    if node.visible:
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
