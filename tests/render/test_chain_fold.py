"""Big chains fold by what fits: at most ``WIDTH`` boxes in a generation and
``DEPTH`` generations below the opened act; the picture is fitted (viewBox)."""

from collections import Counter

import pytest

from kindness.domain.chains import view as chain_view
from kindness.render.chain import ChainNode, chain_svg
from tests.chain_shapes import DEMO_ACTS, DEMO_GENERATIONS, generation_sizes, shape
from tests.render.helpers import NS, parse, with_class

SHAPES = {
    "demo": shape(DEMO_ACTS, DEMO_GENERATIONS),
    "2000": shape(2000, 20),
}


def rows_of(parents):
    """``(id, parent_id, depth)`` rows as the chain's structure query returns them."""
    depth = []
    for parent in parents:
        depth.append(0 if parent is None else depth[parent] + 1)
    return [(n + 1, None if p is None else p + 1, depth[n]) for n, p in enumerate(parents)]


def planned(parents, start=0, skip=0):
    rows = rows_of(parents)
    plan = chain_view._plan(rows, start + 1, start + 1, skip, chain_view.BUDGET)
    depth = {row[0]: row[2] for row in rows}
    return plan, depth


def test_the_shapes_are_the_ones_asked_for():
    assert len(SHAPES["demo"]) == 232
    assert len(generation_sizes(232, 35)) == 35 and max(generation_sizes(232, 35)) > 12
    assert len(SHAPES["2000"]) == 2000 and max(generation_sizes(2000, 20)) > 100


@pytest.mark.parametrize("name", SHAPES)
def test_no_generation_shows_more_than_width_boxes(name):
    plan, depth = planned(SHAPES[name])
    acts = Counter(depth[act] for act in plan.shown)
    pills = Counter(depth[parent] + 1 for parent, _hidden, _skip in plan.collapsed)
    for generation in set(acts) | set(pills):
        assert acts[generation] + pills[generation] <= chain_view.WIDTH, generation
    if name == "2000":  # the room is used, not wasted
        assert max(acts[g] + pills[g] for g in acts) == chain_view.WIDTH
    # Nothing is lost: what is shown and what is folded add up to the chain.
    assert len(plan.shown) + sum(hidden for _p, hidden, _s in plan.collapsed) == len(SHAPES[name])


@pytest.mark.parametrize("name", SHAPES)
def test_no_more_than_depth_generations_below_the_opened_act(name):
    parents = SHAPES[name]
    plan, depth = planned(parents)
    assert max(depth[act] for act in plan.shown) == chain_view.DEPTH
    # Opened further down, the limit counts from the act opened.
    opened = next(n for n, p in enumerate(parents) if p is not None and rows_of(parents)[n][2] == 5)
    plan, depth = planned(parents, start=opened)
    below = [depth[act] - 5 for act in plan.shown if depth[act] >= 5]
    assert max(below) <= chain_view.DEPTH
    assert opened + 1 in plan.shown and 1 in plan.shown  # the act opened, and the root


def test_a_small_chain_is_shown_whole():
    parents = shape(24, 6)  # at most 7 side by side, 6 generations
    plan, _depth = planned(parents)
    assert len(plan.shown) == 24 and plan.collapsed == []


@pytest.mark.parametrize("name", SHAPES)
def test_the_folded_picture_is_fitted_and_its_labels_whole(name):
    plan, _depth = planned(SHAPES[name])
    parents = SHAPES[name]
    shown = set(plan.shown)
    label = "Helped a neighbour carry the shopping"
    nodes = [
        ChainNode(str(act), None if act == 1 else str(parents[act - 1] + 1), "act", label,
                  "Ada → Ben", date="12. März 2026")
        for act in plan.shown
    ]  # fmt: skip
    nodes += [
        ChainNode(f"more-{parent}", str(parent), "collapsed", f"+{hidden} acts")
        for parent, hidden, _skip in plan.collapsed
        if parent in shown
    ]
    root = parse(chain_svg(nodes, title="A chain", description="Folded"))
    view_box = [float(v) for v in root.get("viewBox").split()]
    assert view_box[:2] == [0, 0]
    # 13 rows at most (12 generations and the "+N" row), a slot per leaf shown:
    # far from the 17,204 px the demo chain drew unfolded.
    leaves = len(nodes) - len({node.parent_key for node in nodes})
    assert view_box[3] <= 14 * 130 and view_box[2] <= (leaves + 1) * 200 < 5000
    for group in with_class(root, "g", "kind-act"):
        lines = [text.text for text in group.findall(f"{NS}text")]
        assert " ".join(lines[:2]) == label  # two lines, nothing cut
        assert lines[-1] == "12. März 2026"  # the date, whole
