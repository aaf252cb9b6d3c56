"""A chain as one viewer may see it: masked acts, and above about 500 acts a
summary where hidden subtrees stand in as "+N acts" nodes that open on click.

The whole chain's structure is read once as plain rows; only the acts that are
shown are read in full. The number of queries does not grow with the chain.
"""

from collections import deque
from dataclasses import dataclass, field
from itertools import accumulate, pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from kindness.domain.chains import graph
from kindness.domain.chains.masking import MaskedAct, Viewer, mask
from kindness.domain.errors import NotFound
from kindness.models import Act, ChainStats, Contact, User

BUDGET = 500
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


def find(session: Session, ref: str, viewer: Viewer) -> tuple[Act, ChainStats]:
    """The act with this public reference and its chain's figures, if the viewer
    may see the chain: signed-in people see any chain's (masked) structure,
    anonymous visitors only chains with at least one public act."""
    if not ref or len(ref) > 16:
        raise NotFound()
    act = session.scalar(select(Act).where(Act.ref == ref))
    if act is None or act.root_id is None:
        raise NotFound()
    stats = session.get(ChainStats, act.root_id)
    if stats is None or (not viewer.signed_in and stats.public_acts == 0):
        raise NotFound()
    return act, stats


def _details(session: Session, root_id: int, ids: list[int], viewer: Viewer, whole: bool):
    """The shown acts with their people's names, in one query: display names of
    authors and recipients, and contact names only from the viewer's own book."""
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
    )
    query = query.where(Act.root_id == root_id) if whole else query.where(Act.id.in_(ids))
    rows = session.execute(query.order_by(Act.depth, Act.id)).all()
    return [mask(row, viewer) for row in rows]


def export(session: Session, root_id: int, viewer: Viewer) -> list[MaskedAct]:
    """Every act of the chain, masked for the viewer, parents first."""
    return _details(session, root_id, [], viewer, whole=True)


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


def build(
    session: Session,
    act: Act,
    stats: ChainStats,
    viewer: Viewer,
    open_ref: str | None = None,
    skip: int = 0,
    budget: int = BUDGET,
) -> ChainView:
    """The view of ``act``'s chain with the path from the root to ``act``
    highlighted, opened at ``open_ref`` (default: the root)."""
    rows = graph.whole_chain(session, stats.root_id)
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

    start = 0
    if open_ref:
        opened = session.scalar(
            select(Act.id).where(Act.ref == open_ref, Act.root_id == stats.root_id)
        )
        if opened is None:
            raise NotFound()
        start = position[opened]
    chosen = position[act.id]

    shown: list[int] = []
    collapsed: list[tuple[int, int, int]] = []  # (parent position, hidden acts, skip)
    context = path_to(start)
    gap = None
    if len(context) > CONTEXT + 1:
        # Deep down a deep chain: the root, a fold, and the last ancestors above.
        folded = context[1:-CONTEXT]
        gap = (folded[0], len(folded))
        context = [context[0], *context[-CONTEXT:]]
    for above, below in pairwise(context):
        shown.append(above)
        if gap and above == context[0]:
            continue
        hidden = sizes[above] - 1 - sizes[below]
        if hidden:
            collapsed.append((above, hidden, 0))
    skip = max(0, min(skip, len(children[start])))
    queue = deque([start])
    shown.append(start)
    room = budget - 1
    first = True
    while queue:
        number = queue.popleft()
        kids = children[number][skip:] if first else children[number]
        offset = skip if first else 0
        first = False
        fitting = kids[: max(0, room)]
        room -= len(fitting)
        shown.extend(fitting)
        queue.extend(fitting)
        rest = kids[len(fitting) :]
        if rest:
            collapsed.append((number, sum(sizes[kid] for kid in rest), offset + len(fitting)))

    shown_ids = [rows[number][0] for number in shown]
    nodes = _details(session, stats.root_id, shown_ids, viewer, whole=len(rows) <= SMALL_CHAIN)
    if len(rows) <= SMALL_CHAIN:
        wanted = set(shown_ids)
        nodes = [node for node in nodes if node.id in wanted]
    refs = {node.id: node.ref for node in nodes}
    path_ids = {rows[number].id for number in path_to(chosen)}
    gap_stand_in = None
    if gap is not None:
        first_folded = session.scalars(select(Act.ref).where(Act.id == rows[gap[0]].id)).one()
        gap_stand_in = Collapsed(rows[0].id, gap[1], first_folded)
    return ChainView(
        root_ref=refs.get(rows[0].id, act.ref),
        chosen_ref=act.ref,
        stats=stats,
        nodes=nodes,
        collapsed=[
            Collapsed(rows[parent].id, hidden, refs[rows[parent].id], skip_from)
            for parent, hidden, skip_from in collapsed
        ],
        path=path_ids,
        open_ref=open_ref,
        gap=gap_stand_in,
    )


def authors(session: Session, ids: list[int]) -> dict[int, int | None]:
    """The author of each of these acts (for highlighting a team's acts)."""
    if not ids:
        return {}
    return dict(session.execute(select(Act.id, Act.author_id).where(Act.id.in_(ids))).all())
