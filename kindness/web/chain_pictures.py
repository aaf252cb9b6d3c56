"""The chain picture and its outline, with their words in the viewer's language:
masked acts in, SVG (drawn by ``kindness.render``) and nested lists out.

A chain page draws hundreds of acts, so each picture and outline looks its
words, its date pattern and its links up once (``ChainWords``) and fills them
in per act.
"""

import re
from collections.abc import Callable
from itertools import chain

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup, escape

from kindness.domain.chains import view as chain_view
from kindness.domain.chains.masking import MaskedAct
from kindness.render.chain import ChainNode, chain_svg
from kindness.web.formats import Words, day_format

# What ``secrets.token_urlsafe`` (``models.new_ref``) makes: a path segment as it is.
_URL_SAFE_REF = re.compile(r"[A-Za-z0-9_-]+")


def _ref_urls(endpoint: str) -> Callable[[str], str]:
    """``url_for(endpoint, ref=ref)`` as a function of the ref, the rule built once."""
    probe = "REF0probe"
    head, _probe, tail = url_for(endpoint, ref=probe).rpartition(probe)

    def url(ref: str) -> str:
        if _URL_SAFE_REF.fullmatch(ref):
            return f"{head}{ref}{tail}"
        return url_for(endpoint, ref=ref)

    return url


class ChainWords:
    """The words of one chain picture or outline, looked up once."""

    def __init__(self) -> None:
        words = Words()
        self.words = words
        # "someone" as the subject or object of a chain line (German: jemand).
        self.someone = words.pgettext("chain line", "someone")
        self.names = words.gettext("%(author)s → %(recipient)s")
        self.line = words.gettext("%(author)s → %(recipient)s · %(day)s")
        self.date = day_format("medium")
        self.chain_url = _ref_urls("chains.page")
        self.placeholder_title = words.gettext("An act someone did")
        self.placeholder = words.gettext("an act someone did")
        self.on_path = words.gettext("on the chosen path")
        self.yours = words.gettext("yours")
        self.report = words.gettext("report")
        self.generation = words.gettext("Generation %(number)d")
        self.show_these = words.gettext("Show these acts")

    def day(self, node: MaskedAct) -> str:
        assert node.performed_on is not None  # every visible act has its day
        return self.date(node.performed_on)

    def who(self, node: MaskedAct) -> dict[str, str]:
        return {
            "author": node.author_name or self.someone,
            "recipient": node.recipient_name or self.someone,
        }


def describe(node: MaskedAct, words: ChainWords | None = None) -> str:
    """The one line under an act: who for whom, when."""
    if not node.visible:
        return ""
    words = words or ChainWords()
    return words.line % {**words.who(node), "day": words.day(node)}


def _names(node: MaskedAct, words: ChainWords) -> str:
    """Who for whom, for the picture, which draws the date on a line of its own."""
    if not node.visible:
        return ""
    return words.names % words.who(node)


def hidden_label(count: int, words: ChainWords | None = None) -> str:
    if words is None:
        return ngettext("+%(num)d act", "+%(num)d acts", count)
    return words.words.ngettext("+%(num)d act", "+%(num)d acts", count)


def _stand_in(
    view: chain_view.ChainView, stand_in: chain_view.Collapsed, parent_key: str, words: ChainWords
):
    return ChainNode(
        key=f"more-{stand_in.parent_id}-{stand_in.open_ref}",
        parent_key=parent_key,
        kind="collapsed",
        label=hidden_label(stand_in.hidden, words),
        title=words.show_these,
        href=url_for(
            "chains.page", ref=view.root_ref, open=stand_in.open_ref, skip=stand_in.skip or None
        ),
    )


def picture(view: chain_view.ChainView, id_prefix: str = "chain", team_refs=frozenset()):
    words = ChainWords()
    refs: dict[int | None, str] = {node.id: node.ref for node in view.nodes}
    gap_key = None
    if view.gap is not None:
        gap_key = _stand_in(view, view.gap, view.root_ref, words).key
    nodes = []
    for node in view.nodes:
        parent_key = refs.get(node.parent_id)
        if parent_key is None and node.parent_id is not None:
            parent_key = gap_key  # the first ancestor shown below the fold
        nodes.append(_node(view, node, parent_key, words, node.ref in team_refs))
        if view.gap is not None and node.ref == view.root_ref:
            nodes.append(_stand_in(view, view.gap, view.root_ref, words))
    nodes += [
        _stand_in(view, stand_in, refs[stand_in.parent_id], words) for stand_in in view.collapsed
    ]
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
    view: chain_view.ChainView,
    node: MaskedAct,
    parent_key: str | None,
    words: ChainWords,
    is_team: bool = False,
) -> ChainNode:
    return ChainNode(
        key=node.ref,
        parent_key=parent_key,
        kind="act" if node.visible else "placeholder",
        label=node.what or "",
        sublabel=_names(node, words),
        date=words.day(node) if node.visible else "",
        title=(node.what or "") if node.visible else words.placeholder_title,
        href=words.chain_url(node.ref),
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
    words = ChainWords()
    report_url = _ref_urls("explore.report") if current_user.is_authenticated else None
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
        parts.append("<li>" + _outline_item(view, item, words, report_url))
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


def _outline_item(
    view: chain_view.ChainView,
    item,
    words: ChainWords,
    report_url: Callable[[str], str] | None,
) -> str:
    if isinstance(item, chain_view.Collapsed):
        href = url_for("chains.page", ref=view.root_ref, open=item.open_ref, skip=item.skip or None)
        return f'<a href="{escape(href)}">{escape(hidden_label(item.hidden, words))}</a>'
    marks = []
    if item.id in view.path:
        marks.append(words.on_path)
    if item.is_own:
        marks.append(words.yours)
    suffix = f" ({escape(', '.join(marks))})" if marks else ""
    generation = escape(words.generation % {"number": item.depth})
    if not item.visible:
        return f"{generation}: {escape(words.placeholder)}{suffix}"
    href = words.chain_url(item.ref)
    report = ""
    if report_url is not None and item.visibility == "public" and not item.is_own:
        report = f' · <a href="{escape(report_url(item.ref))}">{escape(words.report)}</a>'
    return (
        f'{generation}: <a href="{escape(href)}">{escape(item.what)}</a> '
        f'<span class="muted">{escape(describe(item, words))}</span>{suffix}{report}'
    )
