"""Tidy tree layout for chains: a slot per leaf, parents centred over their children.

Trees arrive as parent indexes, parents first (node 0 is the root and every
parent index is smaller than its child's). That order lets every pass be a
plain loop over the indexes, forwards or backwards: chains can be 10,000
generations deep, far past Python's recursion limit, and 100,000 acts wide.
"""

from collections.abc import Sequence


def _check(parents: Sequence[int | None]) -> None:
    for index, parent in enumerate(parents):
        if index == 0:
            if parent is not None:
                raise ValueError("node 0 must be the root (parent None)")
        elif parent is None:
            raise ValueError(f"node {index} is a second root; a chain has one")
        elif not 0 <= parent < index:
            raise ValueError(f"node {index} has parent {parent}; parents must come first")


def _children(parents: Sequence[int | None]) -> list[list[int]]:
    children: list[list[int]] = [[] for _ in parents]
    for index in range(1, len(parents)):
        children[parents[index]].append(index)  # type: ignore[index]  # checked: not None
    return children


def depths(parents: Sequence[int | None]) -> list[int]:
    """Return each node's generation (the root is 0)."""
    _check(parents)
    depth = [0] * len(parents)
    for index in range(1, len(parents)):
        depth[index] = depth[parents[index]] + 1  # type: ignore[index]
    return depth


def subtree_sizes(parents: Sequence[int | None]) -> list[int]:
    """Return the number of nodes in each node's subtree, the node included."""
    _check(parents)
    size = [1] * len(parents)
    # Children have larger indexes, so walking backwards finishes them before their parent.
    for index in range(len(parents) - 1, 0, -1):
        size[parents[index]] += size[index]  # type: ignore[index]
    return size


def tidy_layout(parents: Sequence[int | None]) -> tuple[list[float], list[int]]:
    """Return ``(x, row)`` for every node: x in slots (leftmost 0), row = generation.

    Leaves take consecutive slots in depth-first order, children in input
    order; each parent sits halfway between its first and last child. Every
    subtree thus owns a contiguous run of slots, so nodes in one row are at
    least one slot apart. An empty input gives two empty lists.
    """
    row = depths(parents)
    count = len(parents)
    if not count:
        return [], []
    children = _children(parents)

    x = [0.0] * count
    slot = 0
    stack = [0]
    while stack:  # pre-order walk: leaves are met left to right
        node = stack.pop()
        kids = children[node]
        if kids:
            stack.extend(reversed(kids))
        else:
            x[node] = float(slot)
            slot += 1

    for node in range(count - 1, -1, -1):
        kids = children[node]
        if kids:
            x[node] = (x[kids[0]] + x[kids[-1]]) / 2
    return x, row
