"""The chain picture and its outline, with their words in the viewer's language:
masked acts in, SVG (drawn by ``kindness.render``) and nested lists out."""

from itertools import chain

from flask import url_for
from flask_babel import format_date, ngettext, pgettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from kindness.domain.chains import view as chain_view
from kindness.domain.chains.masking import MaskedAct
from kindness.render.chain import ChainNode, chain_svg


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


def _names(node: MaskedAct) -> str:
    """Who for whom, for the picture, which draws the date on a line of its own."""
    if not node.visible:
        return ""
    return _(
        "%(author)s → %(recipient)s",
        author=node.author_name or pgettext("chain line", "someone"),
        recipient=node.recipient_name or pgettext("chain line", "someone"),
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
    refs: dict[int | None, str] = {node.id: node.ref for node in view.nodes}
    gap_key = None
    if view.gap is not None:
        gap_key = _stand_in(view, view.gap, view.root_ref).key
    nodes = []
    for node in view.nodes:
        parent_key = refs.get(node.parent_id)
        if parent_key is None and node.parent_id is not None:
            parent_key = gap_key  # the first ancestor shown below the fold
        nodes.append(_node(view, node, parent_key, node.ref in team_refs))
        if view.gap is not None and node.ref == view.root_ref:
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
        sublabel=_names(node),
        date=format_date(node.performed_on, "medium") if node.visible else "",
        title=(node.what or "") if node.visible else _("An act someone did"),
        href=url_for("chains.page", ref=node.ref),
        is_own=node.is_own,
        on_path=node.id in view.path,
        is_team=is_team,
    )


# Lists nest this deep at most; below, acts follow one another in the deepest list,
# in the same order, each saying its generation, so nothing on a phone is indented
# into a column a letter wide.
OUTLINE_DEPTH = 4


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
    shown = {node.id for node in view.nodes}
    top = [node for node in view.nodes if node.parent_id not in shown]
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
        if kids and len(stack) >= OUTLINE_DEPTH:
            parts.append("</li>")
            stack[-1] = chain(kids, stack[-1])  # depth first, without another level
        elif kids:
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
