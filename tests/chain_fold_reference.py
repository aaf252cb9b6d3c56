"""The chain view's folding as it was before the shapes of big chains were kept
(``kindness.domain.chains.view`` at the start of issue 15): every act's row read,
then folded. The tests compare today's plans with these, act for act."""

from dataclasses import dataclass
from itertools import accumulate, pairwise

from kindness.domain.chains.view import BUDGET, CONTEXT, DEPTH, WIDTH

__all__ = ["BUDGET", "reference_plan"]


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


def reference_plan(
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
