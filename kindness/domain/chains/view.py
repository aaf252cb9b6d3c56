"""A chain as one viewer may see it: masked acts, folded by what fits in a picture
(about ``WIDTH`` acts side by side per generation, ``DEPTH`` generations below the
opened act, ``BUDGET`` acts in all); hidden subtrees stand in as "+N acts" nodes
that open on click.

The whole chain's structure is read once as plain rows; only the acts that are
shown are read in full. The number of queries does not grow with the chain, nor
with the number of chains drawn together (``build_many``). Whether a viewer may
see a chain at all is decided in one place, ``shown_to``.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session, aliased

from kindness.domain.chains import graph
from kindness.domain.chains.masking import MaskedAct, Viewer, mask
from kindness.domain.errors import NotFound
from kindness.models import Act, ChainStats, Contact, User

BUDGET = 500
# At most this many boxes ("+N acts" nodes included) side by side in one generation
# below the opened act, and this many generations below it: a fitted picture of
# 12 × 12 boxes still reads when zoomed on a phone, and what is folded opens by link.
WIDTH = 12
DEPTH = 12
# How many ancestors of an opened act are shown above it.
CONTEXT = 100
# Chains up to this size are read in full with one query on root_id.
SMALL_CHAIN = 2000

DETAIL_COLUMNS = (
    Act.id,
    Act.ref,
    Act.parent_id,
    Act.depth,
    Act.author_id,
    Act.what,
    Act.performed_on,
    Act.category,
    Act.visibility,
    Act.contact_id,
    Act.recipient_id,
    Act.recipient_named,
    Act.removed_at,
    Act.hidden_at,
)


@dataclass(frozen=True)
class Collapsed:
    """Stands in for hidden acts below ``parent_id``; opens at ``open_ref``."""

    parent_id: int
    hidden: int
    open_ref: str
    skip: int = 0


@dataclass
class ChainView:
    root_ref: str
    chosen_ref: str
    stats: ChainStats
    nodes: list[MaskedAct]
    collapsed: list[Collapsed] = field(default_factory=list)
    path: set[int] = field(default_factory=set)
    open_ref: str | None = None
    # The fold between the root and the ancestors shown above an opened act.
    gap: Collapsed | None = None

    @property
    def summarised(self) -> bool:
        return bool(self.collapsed)


def shown_to(viewer: Viewer) -> ColumnElement[bool]:
    """Which chains the viewer may see at all, as a condition on ``ChainStats``:
    signed-in people see any chain's (masked) structure, anonymous visitors only
    chains with at least one public act."""
    return true() if viewer.signed_in else ChainStats.public_acts > 0


def find(session: Session, ref: str, viewer: Viewer) -> tuple[Act, ChainStats]:
    """The act with this public reference and its chain's figures, if the viewer
    may see the chain (``shown_to``)."""
    if not ref or len(ref) > 16:
        raise NotFound()
    act = session.scalar(select(Act).where(Act.ref == ref))
    if act is None or act.root_id is None:
        raise NotFound()
    stats = session.scalar(
        select(ChainStats).where(ChainStats.root_id == act.root_id, shown_to(viewer))
    )
    if stats is None:
        raise NotFound()
    return act, stats


def _details(session: Session, where: ColumnElement[bool], viewer: Viewer) -> list[MaskedAct]:
    """The acts matching ``where`` with their people's names, in one query, masked:
    display names of authors and recipients, and contact names only from the
    viewer's own book."""
    author = aliased(User)
    recipient = aliased(User)
    query = (
        select(
            *DETAIL_COLUMNS,
            author.display_name.label("author_name"),
            recipient.display_name.label("recipient_name"),
            Contact.name.label("contact_name"),
        )
        .outerjoin(author, author.id == Act.author_id)
        .outerjoin(recipient, recipient.id == Act.recipient_id)
        .outerjoin(
            Contact,
            (Contact.id == Act.contact_id)
            & (Contact.owner_id == (viewer.user_id if viewer.user_id is not None else -1)),
        )
        .where(where)
    )
    rows = session.execute(query.order_by(Act.depth, Act.id)).all()
    return [mask(row, viewer) for row in rows]


def export(session: Session, root_id: int, viewer: Viewer) -> list[MaskedAct]:
    """Every act of the chain, masked for the viewer, parents first."""
    return _details(session, Act.root_id == root_id, viewer)


class _Children:
    """Children of every node by position, in one flat list (compressed rows)."""

    def __init__(self, parents: list[int | None]):
        counts = [0] * (len(parents) + 1)
        for parent in parents:
            if parent is not None:
                counts[parent + 1] += 1
        self.offsets = list(accumulate(counts))
        filled = self.offsets[:]
        self.flat = [0] * len(parents)
        for number, parent in enumerate(parents):
            if parent is not None:
                self.flat[filled[parent]] = number
                filled[parent] += 1

    def __getitem__(self, number: int) -> list[int]:
        return self.flat[self.offsets[number] : self.offsets[number + 1]]


@dataclass(frozen=True)
class _Plan:
    """Which acts of a chain a view shows, and what stands in for the others."""

    shown: list[int]  # act ids, in the order they are laid out
    collapsed: list[tuple[int, int, int]]  # (parent act id, hidden acts, skip)
    path: set[int]  # act ids from the root down to the chosen act
    gap: tuple[int, int] | None  # (first folded act id, folded acts)


def _plan(
    rows,
    start_id: int,
    chosen_id: int,
    skip: int,
    budget: int,
    width: int | None = WIDTH,
    depth: int | None = DEPTH,
) -> _Plan:
    """Plan a view of the chain of ``rows`` ((id, parent_id, depth), parents first)
    opened at ``start_id``, with at most about ``budget`` acts, ``width`` boxes in a
    generation and ``depth`` generations below ``start_id`` (None: no such limit);
    no queries."""
    # Flat lists of ints, not one object per act: a 100k chain stays cheap.
    ids, parent_ids, _depths = zip(*rows, strict=True)
    position = dict(zip(ids, range(len(ids)), strict=True))
    parents = [position.get(parent_id) for parent_id in parent_ids]
    children = _Children(parents)
    sizes = [1] * len(rows)
    for number in range(len(rows) - 1, 0, -1):
        parent = parents[number]
        if parent is not None:
            sizes[parent] += sizes[number]

    def path_to(number: int) -> list[int]:
        path = [number]
        while (parent := parents[path[-1]]) is not None:
            path.append(parent)
        return path[::-1]

    start = position[start_id]
    shown: list[int] = []
    collapsed: list[tuple[int, int, int]] = []  # (parent position, hidden acts, skip)
    context = path_to(start)
    gap = None
    if len(context) > CONTEXT + 1:
        # Deep down a deep chain: the root, a fold, and the last ancestors above.
        folded = context[1:-CONTEXT]
        gap = (ids[folded[0]], len(folded))
        context = [context[0], *context[-CONTEXT:]]
    for above, below in pairwise(context):
        shown.append(above)
        if gap and above == context[0]:
            continue
        hidden = sizes[above] - 1 - sizes[below]
        if hidden:
            collapsed.append((above, hidden, 0))
    skip = max(0, min(skip, len(children[start])))
    shown.append(start)
    room = budget - 1
    width = width or len(rows)
    depth = depth or len(rows)
    # Generation by generation, so each row's slots are shared out fairly: every
    # parent keeps at least one slot (an act or its "+N acts" node).
    level = [start]
    for generation in range(1, depth + 2):
        families = []
        for number in level:
            kids = (
                children[number][skip:] if number == start and generation == 1 else children[number]
            )
            if kids:
                families.append((number, kids))
        if not families:
            break
        slots = width
        next_level: list[int] = []
        for order, (number, kids) in enumerate(families):
            offset = skip if number == start and generation == 1 else 0
            allowed = slots - (len(families) - order - 1)  # one slot kept for each later parent
            if generation > depth:
                allowed = 0
            fitting = kids if len(kids) <= allowed else kids[: max(0, allowed - 1)]
            fitting = fitting[: max(0, room)]
            room -= len(fitting)
            slots -= len(fitting)
            shown.extend(fitting)
            next_level.extend(fitting)
            rest = kids[len(fitting) :]
            if rest:
                slots -= 1
                collapsed.append((number, sum(sizes[kid] for kid in rest), offset + len(fitting)))
        level = next_level
    return _Plan(
        shown=[ids[number] for number in shown],
        collapsed=[(ids[parent], hidden, skip_from) for parent, hidden, skip_from in collapsed],
        path={ids[number] for number in path_to(position[chosen_id])},
        gap=gap,
    )


def _view(
    session: Session,
    plan: _Plan,
    nodes: list[MaskedAct],
    stats: ChainStats,
    chosen_ref: str | None,
    open_ref: str | None = None,
) -> ChainView:
    """Put a planned view together from its masked acts (``nodes``, in plan order or
    a superset of the plan's acts, parents first)."""
    wanted = set(plan.shown)
    nodes = [node for node in nodes if node.id in wanted]
    refs = {node.id: node.ref for node in nodes}
    gap = None
    if plan.gap is not None:
        first_folded = session.scalars(select(Act.ref).where(Act.id == plan.gap[0])).one()
        gap = Collapsed(stats.root_id, plan.gap[1], first_folded)
    root_ref = refs[stats.root_id]
    return ChainView(
        root_ref=root_ref,
        chosen_ref=chosen_ref or root_ref,
        stats=stats,
        nodes=nodes,
        collapsed=[
            Collapsed(parent, hidden, refs[parent], skip_from)
            for parent, hidden, skip_from in plan.collapsed
        ],
        path=plan.path,
        open_ref=open_ref,
        gap=gap,
    )


def build(
    session: Session,
    act: Act,
    stats: ChainStats,
    viewer: Viewer,
    open_ref: str | None = None,
    skip: int = 0,
    budget: int = BUDGET,
    width: int | None = WIDTH,
    depth: int | None = DEPTH,
) -> ChainView:
    """The view of ``act``'s chain with the path from the root to ``act``
    highlighted, opened at ``open_ref`` (default: the root)."""
    rows = graph.whole_chain(session, stats.root_id)
    start_id = stats.root_id
    if open_ref:
        opened = session.scalar(
            select(Act.id).where(Act.ref == open_ref, Act.root_id == stats.root_id)
        )
        if opened is None:
            raise NotFound()
        start_id = opened
    plan = _plan(rows, start_id, act.id, skip, budget, width, depth)
    if not open_ref and act.id not in plan.shown:
        # The chosen act lies beyond what fits below the root: open the picture at
        # it instead (its ancestors stay above it), so a link to an act shows it.
        open_ref = act.ref
        plan = _plan(rows, act.id, act.id, 0, budget, width, depth)
    # A small chain is read whole on its index; a big one only where it is shown.
    whole = len(rows) <= SMALL_CHAIN
    nodes = _details(
        session, Act.root_id == stats.root_id if whole else Act.id.in_(plan.shown), viewer
    )
    return _view(session, plan, nodes, stats, act.ref, open_ref)


def build_many(
    session: Session,
    chains: Sequence[ChainStats],
    viewer: Viewer,
    budget: int = BUDGET,
    width: int | None = WIDTH,
    depth: int | None = DEPTH,
) -> list[ChainView]:
    """The views of several chains, each opened at its root, in two queries
    whatever their number: one for their structure, one for the acts shown."""
    if not chains:
        return []
    root_ids = [stats.root_id for stats in chains]
    structure: dict[int, list[tuple[int, int | None, int]]] = {root_id: [] for root_id in root_ids}
    for root_id, act_id, parent_id, generation in session.execute(
        select(Act.root_id, Act.id, Act.parent_id, Act.depth)
        .where(Act.root_id.in_(root_ids))
        .order_by(Act.depth, Act.id)
    ):
        structure[root_id].append((act_id, parent_id, generation))
    plans = {
        root_id: _plan(rows, root_id, root_id, 0, budget, width, depth)
        for root_id, rows in structure.items()
        if rows  # a chain deleted since its figures were read
    }
    if sum(len(rows) for rows in structure.values()) <= SMALL_CHAIN:
        # Small chains are read whole on their index, as in ``build``.
        where = Act.root_id.in_(root_ids)
    else:
        where = Act.id.in_([act_id for plan in plans.values() for act_id in plan.shown])
    by_chain: dict[int, list[MaskedAct]] = {root_id: [] for root_id in root_ids}
    chain_of = {act_id: root_id for root_id, plan in plans.items() for act_id in plan.shown}
    for node in _details(session, where, viewer):
        if node.id in chain_of:
            by_chain[chain_of[node.id]].append(node)
    return [
        _view(session, plans[stats.root_id], by_chain[stats.root_id], stats, None)
        for stats in chains
        if stats.root_id in plans
    ]
