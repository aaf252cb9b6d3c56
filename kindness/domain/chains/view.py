"""A chain as one viewer may see it: masked acts, folded by what fits in a picture
(about ``WIDTH`` acts side by side per generation, ``DEPTH`` generations below the
opened act, ``BUDGET`` acts in all); hidden subtrees stand in as "+N acts" nodes
that open on click.

The whole chain's structure is read once as plain rows; only the acts that are
shown are read in full. The number of queries does not grow with the chain, nor
with the number of chains drawn together (``build_many``). Whether a viewer may
see a chain at all is decided in one place, ``shown_to``.
"""

from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from threading import Lock
from weakref import WeakKeyDictionary

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


@dataclass(frozen=True)
class _Plan:
    """Which acts of a chain a view shows, and what stands in for the others."""

    shown: list[int]  # act ids, in the order they are laid out
    collapsed: list[tuple[int, int, int]]  # (parent act id, hidden acts, skip)
    path: set[int]  # act ids from the root down to the chosen act
    gap: tuple[int, int] | None  # (first folded act id, folded acts)


class Structure:
    """A chain's shape, as folding needs it: every act's parent, subtree size and
    children, in flat arrays by position (the (depth, id) order of the rows), so
    that a plan touches only the acts it shows and their parents' lists, never
    the whole chain. Built once per chain version (``_structure``): a 100k chain
    costs a few MB, and the building is the only step that reads every act."""

    __slots__ = ("at", "by_id", "count", "flat", "ids", "offsets", "parents", "prefix", "sizes")

    def __init__(self, rows) -> None:
        ids = [row[0] for row in rows]
        count = len(ids)
        position = {act_id: number for number, act_id in enumerate(ids)}
        parents = [position.get(row[1], -1) if row[1] is not None else -1 for row in rows]
        sizes = [1] * count
        for number in range(count - 1, 0, -1):
            parent = parents[number]
            if parent >= 0:
                sizes[parent] += sizes[number]
        # Children of every act by position, in one flat list (compressed rows),
        # with running sums of their subtree sizes: a slice's hidden acts in O(1).
        counts = [0] * (count + 1)
        for parent in parents:
            if parent >= 0:
                counts[parent + 1] += 1
        offsets = list(accumulate(counts))
        filled = offsets[:]
        flat = [0] * max(0, offsets[-1])
        for number, parent in enumerate(parents):
            if parent >= 0:
                flat[filled[parent]] = number
                filled[parent] += 1
        order = sorted(range(count), key=ids.__getitem__)
        self.count = count
        self.ids = array("q", ids)
        self.parents = array("l", parents)
        self.sizes = array("l", sizes)
        self.offsets = array("l", offsets)
        self.flat = array("l", flat)
        self.prefix = array("q", accumulate((sizes[kid] for kid in flat), initial=0))
        self.by_id = array("q", (ids[number] for number in order))
        self.at = array("l", order)

    def position(self, act_id: int) -> int:
        """The position of act ``act_id``; KeyError when it is not in the chain."""
        index = bisect_left(self.by_id, act_id)
        if index == len(self.by_id) or self.by_id[index] != act_id:
            raise KeyError(act_id)
        return self.at[index]

    def path_to(self, number: int) -> list[int]:
        path = [number]
        while (parent := self.parents[path[-1]]) >= 0:
            path.append(parent)
        return path[::-1]

    def plan(
        self,
        start_id: int,
        chosen_id: int,
        skip: int,
        budget: int,
        width: int | None = WIDTH,
        depth: int | None = DEPTH,
    ) -> _Plan:
        """Plan a view opened at ``start_id`` with at most about ``budget`` acts,
        ``width`` boxes in a generation and ``depth`` generations below ``start_id``
        (None: no such limit); no queries, and no step over the whole chain."""
        ids, sizes, offsets, flat, prefix = (
            self.ids,
            self.sizes,
            self.offsets,
            self.flat,
            self.prefix,
        )
        start = self.position(start_id)
        chosen = self.position(chosen_id)
        shown: list[int] = []
        collapsed: list[tuple[int, int, int]] = []  # (parent position, hidden acts, skip)
        context = self.path_to(start)
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
        skip = max(0, min(skip, offsets[start + 1] - offsets[start]))
        shown.append(start)
        room = budget - 1
        width = width or self.count
        depth = depth or self.count
        # Generation by generation, so each row's slots are shared out fairly: every
        # parent keeps at least one slot (an act or its "+N acts" node).
        level = [start]
        for generation in range(1, depth + 2):
            families = []  # (parent, its first child shown, after its children, skipped)
            for number in level:
                offset = skip if number == start and generation == 1 else 0
                first, end = offsets[number] + offset, offsets[number + 1]
                if first < end:
                    families.append((number, first, end, offset))
            if not families:
                break
            slots = width
            next_level: list[int] = []
            for order, (number, first, end, offset) in enumerate(families):
                allowed = slots - (len(families) - order - 1)  # one slot for each later parent
                if generation > depth:
                    allowed = 0
                kids = end - first
                fitting = kids if kids <= allowed else max(0, allowed - 1)
                fitting = min(fitting, max(0, room))
                room -= fitting
                slots -= fitting
                chosen_kids = flat[first : first + fitting]
                shown.extend(chosen_kids)
                next_level.extend(chosen_kids)
                if fitting < kids:
                    slots -= 1
                    hidden = prefix[end] - prefix[first + fitting]
                    collapsed.append((number, hidden, offset + fitting))
            level = next_level
        return _Plan(
            shown=[ids[number] for number in shown],
            collapsed=[(ids[parent], hidden, skip_from) for parent, hidden, skip_from in collapsed],
            path={ids[number] for number in self.path_to(chosen)},
            gap=gap,
        )


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
    opened at ``start_id`` (``Structure.plan``); no queries."""
    return Structure(rows).plan(start_id, chosen_id, skip, budget, width, depth)


# -- the shapes of big chains, kept per chain version ------------------------
# Per database binding (the engine; a test's own connection), so that no chain of
# another database, or of a rolled-back test, is ever taken for this one; at most
# ``CACHED_ACTS`` acts' shapes per binding, the least recently used dropped first.

CACHED_ACTS = 400_000
_shapes: "WeakKeyDictionary[object, OrderedDict[tuple, Structure]]" = WeakKeyDictionary()
_shapes_lock = Lock()


def version(stats: ChainStats) -> tuple:
    """What a chain's shape depends on: every insert moves ``acts`` and ``grown_at``
    (to the microsecond), every removal ``acts`` (its figures are recomputed)."""
    return (stats.root_id, stats.acts, stats.generations, stats.grown_at, stats.started_at)


def _cached(session: Session, key: tuple) -> Structure | None:
    with _shapes_lock:
        kept = _shapes.get(session.get_bind())
        if kept is None or key not in kept:
            return None
        kept.move_to_end(key)
        return kept[key]


def _keep(session: Session, key: tuple, structure: Structure) -> None:
    if structure.count <= SMALL_CHAIN or structure.count > CACHED_ACTS:
        return
    with _shapes_lock:
        kept = _shapes.setdefault(session.get_bind(), OrderedDict())
        kept[key] = structure
        total = sum(shape.count for shape in kept.values())
        while total > CACHED_ACTS:
            _key, dropped = kept.popitem(last=False)
            total -= dropped.count


def _forget(session: Session, key: tuple) -> None:
    with _shapes_lock:
        kept = _shapes.get(session.get_bind())
        if kept is not None:
            kept.pop(key, None)


def clear_cache() -> None:
    with _shapes_lock:
        _shapes.clear()


def _structure(session: Session, stats: ChainStats, fresh: bool = False) -> Structure:
    """The shape of a big chain: kept from an earlier view of the same version, or
    read (one index-only query) and kept when it matches the figures read with it."""
    key = version(stats)
    found = None if fresh else _cached(session, key)
    if found is None:
        found = Structure(graph.whole_chain(session, stats.root_id))
        if found.count == stats.acts:  # else it changed since: not this version's
            _keep(session, key, found)
    return found


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
    gap = None
    if plan.gap is not None:
        first_folded = next((node.ref for node in nodes if node.id == plan.gap[0]), None)
        if first_folded is None:
            first_folded = session.scalars(select(Act.ref).where(Act.id == plan.gap[0])).one()
        gap = Collapsed(stats.root_id, plan.gap[1], first_folded)
    nodes = [node for node in nodes if node.id in wanted]
    refs = {node.id: node.ref for node in nodes}
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


def _matches(structure: Structure, nodes: list[MaskedAct], plan: _Plan) -> bool:
    """Whether the acts read for a plan are the ones a kept shape planned: each
    there, under the same parent (else the shape is of an older chain)."""
    parent_of = {node.id: node.parent_id for node in nodes}
    ids, parents = structure.ids, structure.parents
    for act_id in plan.shown:
        if act_id not in parent_of:
            return False
        parent = parents[structure.position(act_id)]
        if parent_of[act_id] != (ids[parent] if parent >= 0 else None):
            return False
    return True


def _shape_of(nodes: Sequence[MaskedAct]) -> list[tuple[int, int | None, int]]:
    return [(node.id, node.parent_id, node.depth) for node in nodes]


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
    highlighted, opened at ``open_ref`` (default: the root).

    A small chain is read whole, once, on its index; a big one reads only the acts
    shown, planned on its shape (``Structure``), which is read once per chain
    version and kept."""
    start_id = stats.root_id
    if open_ref:
        opened = session.scalar(
            select(Act.id).where(Act.ref == open_ref, Act.root_id == stats.root_id)
        )
        if opened is None:
            raise NotFound()
        start_id = opened

    def fold(structure: Structure) -> tuple[_Plan, str | None]:
        plan = structure.plan(start_id, act.id, skip, budget, width, depth)
        if not open_ref and act.id not in plan.shown:
            # The chosen act lies beyond what fits below the root: open the picture
            # at it instead (its ancestors stay above it), so a link to an act shows it.
            return structure.plan(act.id, act.id, 0, budget, width, depth), act.ref
        return plan, open_ref

    if stats.acts <= SMALL_CHAIN:
        nodes = _details(session, Act.root_id == stats.root_id, viewer)
        plan, opened_at = fold(Structure(_shape_of(nodes)))
        return _view(session, plan, nodes, stats, act.ref, opened_at)
    for fresh in (False, True):
        structure = _structure(session, stats, fresh)
        try:
            plan, opened_at = fold(structure)
        except KeyError:  # an act not (or no longer) in the shape read
            if fresh:
                raise NotFound() from None
            _forget(session, version(stats))
            continue
        shown = plan.shown if plan.gap is None else [*plan.shown, plan.gap[0]]
        nodes = _details(session, Act.id.in_(shown), viewer)
        if fresh or _matches(structure, nodes, plan):
            break
        _forget(session, version(stats))  # kept from a chain that changed since
    return _view(session, plan, nodes, stats, act.ref, opened_at)


def build_many(
    session: Session,
    chains: Sequence[ChainStats],
    viewer: Viewer,
    budget: int = BUDGET,
    width: int | None = WIDTH,
    depth: int | None = DEPTH,
    *,
    trusted: bool = True,
) -> list[ChainView]:
    """The views of several chains, each opened at its root, in two queries
    whatever their number: one for their structure (none when the shapes of big
    chains were kept), one for the acts shown."""
    if not chains:
        return []
    root_ids = [stats.root_id for stats in chains]
    by_chain: dict[int, list[MaskedAct]] = {root_id: [] for root_id in root_ids}
    structures: dict[int, Structure] = {}
    plans = _plans_of_many(session, chains, structures, budget, width, depth)
    chain_of = {act_id: root_id for root_id, plan in plans.items() for act_id in plan.shown}
    small = sum(structure.count for structure in structures.values()) <= SMALL_CHAIN
    # Small chains are read whole on their index, as in ``build``; big ones where shown.
    where = Act.root_id.in_(root_ids) if small else Act.id.in_(list(chain_of))
    for node in _details(session, where, viewer):
        if node.id in chain_of:
            by_chain[chain_of[node.id]].append(node)
    stale = [
        stats
        for stats in chains
        if stats.root_id in plans
        and not _matches(structures[stats.root_id], by_chain[stats.root_id], plans[stats.root_id])
    ]
    if stale and trusted:  # shapes kept from chains that changed since: read them again
        for stats in stale:
            _forget(session, version(stats))
        return build_many(session, chains, viewer, budget, width, depth, trusted=False)
    return [
        _view(session, plans[stats.root_id], by_chain[stats.root_id], stats, None)
        for stats in chains
        if stats.root_id in plans  # a chain deleted since its figures were read
    ]


def _plans_of_many(
    session: Session,
    chains: Sequence[ChainStats],
    structures: dict[int, Structure],
    budget: int,
    width: int | None,
    depth: int | None,
) -> dict[int, _Plan]:
    """Plans of several chains opened at their roots, on their kept shapes; those
    not kept are read in one query (and kept)."""
    missing: dict[int, list[tuple[int, int | None, int]]] = {}
    for stats in chains:
        found = _cached(session, version(stats))
        if found is None:
            missing[stats.root_id] = []
        else:
            structures[stats.root_id] = found
    if missing:
        for root_id, act_id, parent_id, generation in session.execute(
            select(Act.root_id, Act.id, Act.parent_id, Act.depth)
            .where(Act.root_id.in_(list(missing)))
            .order_by(Act.depth, Act.id)
        ):
            missing[root_id].append((act_id, parent_id, generation))
        for stats in chains:
            rows = missing.get(stats.root_id)
            if rows:  # none: a chain deleted since its figures were read
                structure = structures[stats.root_id] = Structure(rows)
                if structure.count == stats.acts:
                    _keep(session, version(stats), structure)
    return {
        root_id: structure.plan(root_id, root_id, 0, budget, width, depth)
        for root_id, structure in structures.items()
    }
