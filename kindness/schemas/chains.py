"""A chain as one person may see it (the API's ``/chains/<ref>``): the acts the
chain page shows, masked by the domain (``domain.chains.view.build``), and the
folds that stand in for the acts a page leaves out."""

from dataclasses import dataclass

from marshmallow import fields

from kindness.domain.chains.masking import MaskedAct
from kindness.domain.chains.view import ChainView, Collapsed
from kindness.schemas.base import Shape


@dataclass(frozen=True)
class ChainNode:
    """A shown act with its parent's reference (None: the root, or an act below
    the fold of a deep chain's ancestors)."""

    act: MaskedAct
    parent: str | None


@dataclass(frozen=True)
class ShownChain:
    """A ``ChainView`` by name, as the API answers it."""

    view: ChainView
    nodes: list[ChainNode]
    folds: list[Collapsed]
    gap: Collapsed | None


def shown(view: ChainView) -> ShownChain:
    refs = {node.id: node.ref for node in view.nodes}
    return ShownChain(
        view=view,
        nodes=[
            ChainNode(node, None if node.parent_id is None else refs.get(node.parent_id))
            for node in view.nodes
        ],
        folds=view.collapsed,
        gap=view.gap,
    )


class ChainNodeSchema(Shape):
    """Dumps a ``ChainNode``: a placeholder has its place only (reference, parent,
    generation), never a text, author, recipient or date."""

    ref = fields.String(
        attribute="act.ref", dump_only=True, metadata={"description": "The act's reference."}
    )
    parent = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Its parent's reference; null for the root."},
    )
    generation = fields.Integer(
        attribute="act.depth",
        dump_only=True,
        metadata={"description": "How many passes lie between it and the root (0)."},
    )
    placeholder = fields.Function(
        lambda node: not node.act.visible,
        dump_only=True,
        metadata={
            "type": "boolean",
            "description": "True when the act is not yours to read: only its place shows.",
        },
    )
    yours = fields.Boolean(
        attribute="act.is_own", dump_only=True, metadata={"description": "Whether you did it."}
    )
    what = fields.String(
        attribute="act.what", dump_only=True, allow_none=True, metadata={"description": "Its text."}
    )
    date = fields.Date(
        attribute="act.performed_on",
        dump_only=True,
        allow_none=True,
        metadata={"description": "The day it was done."},
    )
    category = fields.String(
        attribute="act.category",
        dump_only=True,
        allow_none=True,
        metadata={"description": "Its category, if one was chosen."},
    )
    author = fields.String(
        attribute="act.author_name",
        dump_only=True,
        allow_none=True,
        metadata={"description": "Its author's display name."},
    )
    recipient = fields.String(
        attribute="act.recipient_name",
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "Your contact's name on your own acts; else the recipient's display "
            "name if they claimed it and chose to be named; null reads “someone”."
        },
    )


class FoldSchema(Shape):
    """Dumps a ``Collapsed``: acts left out below ``parent``; ask for them with
    ``?open=<parent>&skip=<skip>``."""

    parent = fields.String(
        attribute="open_ref",
        dump_only=True,
        metadata={"description": "The act whose forwards are left out: pass it as `open`."},
    )
    hidden = fields.Integer(
        dump_only=True, metadata={"description": "How many acts are left out below it."}
    )
    skip = fields.Integer(
        dump_only=True, metadata={"description": "Pass it as `skip` to read on from them."}
    )


class GapSchema(Shape):
    """Dumps the ``Collapsed`` between the root and the ancestors shown above an
    opened act deep in its chain."""

    hidden = fields.Integer(dump_only=True, metadata={"description": "How many acts are folded."})
    open = fields.String(
        attribute="open_ref",
        dump_only=True,
        metadata={"description": "The first of them: pass it as `open` to read on from there."},
    )


class ChainSchema(Shape):
    """Dumps a ``ShownChain``: what the chain page shows this person, folded
    as the page folds it."""

    ref = fields.String(
        attribute="view.root_ref",
        dump_only=True,
        metadata={"description": "The reference of the chain's first act."},
    )
    chosen = fields.String(
        attribute="view.chosen_ref",
        dump_only=True,
        metadata={"description": "The act asked for, with the path to it from the root."},
    )
    opened = fields.String(
        attribute="view.open_ref",
        dump_only=True,
        allow_none=True,
        metadata={"description": "The act the view opens at (`open`); null: the root."},
    )
    acts = fields.Integer(
        attribute="view.stats.acts", dump_only=True, metadata={"description": "Acts in all."}
    )
    reach = fields.Integer(
        attribute="view.stats.reach",
        dump_only=True,
        metadata={"description": "How many people it reached."},
    )
    generations = fields.Integer(
        attribute="view.stats.generations",
        dump_only=True,
        metadata={"description": "How many generations it has."},
    )
    path = fields.Function(
        lambda chain: [node.act.ref for node in chain.nodes if node.act.id in chain.view.path],
        dump_only=True,
        metadata={
            "type": "array",
            "items": {"type": "string"},
            "description": "References from the root down to the chosen act, as shown.",
        },
    )
    nodes = fields.List(
        fields.Nested(ChainNodeSchema),
        dump_only=True,
        metadata={"description": "The acts shown, parents first."},
    )
    folds = fields.List(
        fields.Nested(FoldSchema),
        dump_only=True,
        metadata={"description": "Acts left out, as “+N acts” on the page."},
    )
    gap = fields.Nested(
        GapSchema,
        dump_only=True,
        allow_none=True,
        metadata={"description": "Ancestors folded between the root and an opened act."},
    )
