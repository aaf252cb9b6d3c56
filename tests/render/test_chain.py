"""The chain picture and its tree layout, as plain functions."""

from collections import defaultdict
from itertools import pairwise
from xml.etree import ElementTree

import pytest
from markupsafe import Markup

from kindness.render.chain import ACCENT, OWN, ChainNode, chain_svg
from kindness.render.tree_layout import subtree_sizes, tidy_layout
from tests.render.helpers import (
    HOSTILE,
    NS,
    assert_accessible_root,
    assert_csp_safe,
    classes,
    parse,
    with_class,
)


def chain_nodes(root: ElementTree.Element) -> list[ElementTree.Element]:
    return with_class(root, "g", "chain-node")


def chain_edges(root: ElementTree.Element) -> list[ElementTree.Element]:
    return with_class(root, "path", "chain-edge")


def children_of(parents):
    children = defaultdict(list)
    for child, parent in enumerate(parents):
        if parent is not None:
            children[parent].append(child)
    return children


def assert_tidy(parents):
    x, row = tidy_layout(parents)
    assert len(x) == len(row) == len(parents)
    assert min(x) == 0
    by_row = defaultdict(list)
    for node, r in enumerate(row):
        by_row[r].append(x[node])
        parent = parents[node]
        assert r == (0 if parent is None else row[parent] + 1)
    for xs in by_row.values():
        xs.sort()
        assert all(b - a >= 1 for a, b in pairwise(xs))  # one slot apart
    for parent, kids in children_of(parents).items():
        assert x[kids[0]] <= x[parent] <= x[kids[-1]]
        assert x[parent] == (x[kids[0]] + x[kids[-1]]) / 2
    return x, row


# --- layout -----------------------------------------------------------------------


def test_a_single_node_sits_at_zero():
    assert tidy_layout([None]) == ([0.0], [0])
    assert subtree_sizes([None]) == [1]


def test_a_path_is_one_column():
    x, row = assert_tidy([None, 0, 1, 2])
    assert x == [0, 0, 0, 0]
    assert row == [0, 1, 2, 3]


def test_a_root_with_three_leaves_is_centred_over_them():
    x, row = assert_tidy([None, 0, 0, 0])
    assert x == [1, 0, 1, 2]
    assert row == [0, 1, 1, 1]


def test_an_unbalanced_tree_is_tidy_with_leaves_in_depth_first_order():
    #        0
    #     1     2
    #   3 4 5   6
    #   7       8 9
    #  10
    parents = [None, 0, 0, 1, 1, 1, 2, 3, 6, 6, 7]
    x, row = assert_tidy(parents)
    leaves = [n for n in range(len(parents)) if n not in children_of(parents)]
    assert {n: x[n] for n in leaves} == {10: 0, 4: 1, 5: 2, 8: 3, 9: 4}
    assert x[1] == 1 and x[6] == 3.5 and x[2] == 3.5 and x[0] == 2.25
    assert row == [0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4]


def test_children_keep_their_input_order_even_when_interleaved():
    # The second child of 0 appears before the first child's children.
    x, _ = assert_tidy([None, 0, 0, 1, 2, 1])
    assert x[3] < x[5] < x[4]


def test_a_very_deep_path_and_a_very_wide_star_need_no_recursion():
    deep = [None, *range(9_999)]
    x, row = tidy_layout(deep)
    assert row[-1] == 9_999 and set(x) == {0}
    assert subtree_sizes(deep)[0] == 10_000 and subtree_sizes(deep)[-1] == 1

    wide = [None] + [0] * 100_000
    x, row = tidy_layout(wide)
    assert x[0] == 49_999.5 and x[-1] == 99_999 and max(row) == 1
    assert subtree_sizes(wide)[0] == 100_001


def test_subtree_sizes_count_every_descendant():
    parents = [None, 0, 0, 1, 1, 1, 2, 3, 6, 6, 7]
    assert subtree_sizes(parents) == [11, 6, 4, 3, 1, 1, 3, 2, 1, 1, 1]


@pytest.mark.parametrize(
    "parents",
    [[0], [None, None], [None, 1], [None, 2, 0], [None, -1]],
)
def test_layout_rejects_trees_that_are_not_parents_first_with_one_root(parents):
    with pytest.raises(ValueError):
        tidy_layout(parents)
    with pytest.raises(ValueError):
        subtree_sizes(parents)


def test_an_empty_layout_is_empty():
    assert tidy_layout([]) == ([], [])
    assert subtree_sizes([]) == []


# --- picture ----------------------------------------------------------------------


def sample() -> list[ChainNode]:
    return [
        ChainNode("r", None, "act", "Carried shopping", "Mia → someone · 2 Mar", on_path=True),
        ChainNode("a", "r", "act", "Fixed a tyre", "Ben → someone", on_path=True, is_own=True),
        ChainNode("b", "r", "placeholder", "", title="A private act"),
        ChainNode("c", "r", "act", "Cooked dinner", is_team=True),
        ChainNode("a1", "a", "act", "Paid a coffee", on_path=True),
        ChainNode("c1", "c", "collapsed", "+312 acts", href="/chains/r?from=c1"),
        ChainNode("c2", "c", "collapsed", "+4 acts"),
    ]


def test_chain_draws_one_group_per_node_and_one_edge_per_forward():
    svg = chain_svg(sample(), title="A chain", description="7 acts")
    assert isinstance(svg, Markup)
    root = parse(svg)
    assert "chain-tree" in classes(root)
    # Its nodes are links, which role="img" would hide from screen readers.
    assert_accessible_root(root, "chain", role="group", natural_size=True)
    assert root.find(f"{NS}title").text == "A chain"
    assert root.find(f"{NS}desc").text == "7 acts"
    groups = chain_nodes(root)
    assert [g.get("data-key") for g in groups] == ["r", "a", "b", "c", "a1", "c1", "c2"]
    assert len(chain_edges(root)) == 6


def test_chain_without_links_is_one_picture():
    svg = chain_svg(
        [ChainNode("r", None, "act", "Carried shopping"), ChainNode("a", "r", "placeholder", "")],
        title="A chain",
        description="2 acts",
    )
    assert_accessible_root(parse(svg), "chain", natural_size=True)


def test_chain_classes_follow_kind_own_path_and_team():
    groups = {g.get("data-key"): g for g in chain_nodes(parse(chain_svg(sample(), **TEXTS)))}
    assert classes(groups["a"]) == {"chain-node", "kind-act", "is-own", "on-path"}
    assert classes(groups["b"]) == {"chain-node", "kind-placeholder"}
    assert classes(groups["c"]) == {"chain-node", "kind-act", "is-team"}
    assert classes(groups["c1"]) == {"chain-node", "kind-collapsed"}
    ring = groups["a"].find(f"{NS}rect[@class='chain-own']")
    assert ring.get("stroke") == OWN
    assert groups["b"].find(f"{NS}text") is None  # placeholders show no text
    assert groups["b"].find(f"{NS}title").text == "A private act"


def test_chain_emphasises_the_path_edges():
    edges = chain_edges(parse(chain_svg(sample(), **TEXTS)))
    on_path = [e for e in edges if "on-path" in classes(e)]
    assert len(on_path) == 2  # r→a and a→a1
    assert all(e.get("stroke") == ACCENT for e in on_path)
    assert all(e.get("d").startswith("M") and "C" in e.get("d") for e in edges)


def test_collapsed_nodes_with_a_link_sit_inside_it():
    root = parse(chain_svg(sample(), **TEXTS))
    links = list(root.iter(f"{NS}a"))
    assert len(links) == 1
    assert links[0].get("href") == "/chains/r?from=c1"
    inner = links[0].find(f"{NS}g")
    assert inner.get("data-key") == "c1"
    assert "".join(inner.itertext()).endswith("+312 acts")


def test_long_labels_wrap_onto_two_lines_then_are_cut_but_whole_in_the_tooltip():
    long = "Read to a child at the library every Saturday morning"
    root = parse(chain_svg([ChainNode("r", None, "act", long, "a sublabel")], **TEXTS))
    group = chain_nodes(root)[0]
    lines = [text.text for text in group.findall(f"{NS}text[@class='chain-label']")]
    assert len(lines) == 2
    assert lines[0] == "Read to a child at the"  # broken between words
    assert lines[1].endswith("…") and len(" ".join(lines)) < len(long)
    assert long in group.find(f"{NS}title").text


def test_a_label_of_two_short_lines_is_not_cut():
    text = "Carried the shopping up four floors"
    root = parse(chain_svg([ChainNode("r", None, "act", text, "Ada → Ben")], **TEXTS))
    lines = [t.text for t in chain_nodes(root)[0].findall(f"{NS}text[@class='chain-label']")]
    assert " ".join(lines) == text and "…" not in text


def test_the_date_has_its_own_line_and_is_never_cut():
    names = "Maximiliane Mustermann-Oberndorfer → Bartholomäus"
    root = parse(
        chain_svg([ChainNode("r", None, "act", "Help", names, date="12. März 2026")], **TEXTS)
    )
    small = [t.text for t in chain_nodes(root)[0].findall(f"{NS}text[@class='chain-sublabel']")]
    assert small[0].endswith("…") and small[1] == "12. März 2026"


def test_placeholders_are_compact_boxes():
    nodes = [ChainNode("r", None, "act", "Root", "x"), ChainNode("p", "r", "placeholder", "")]
    root = parse(chain_svg(nodes, **TEXTS))
    act_box, dot_box = (g.find(f"{NS}rect") for g in chain_nodes(root))
    assert float(dot_box.get("width")) < float(act_box.get("width")) / 1.5
    assert float(dot_box.get("height")) < float(act_box.get("height")) / 2


def test_chain_escapes_every_caller_string():
    nodes = [
        ChainNode(
            HOSTILE, None, "act", HOSTILE, HOSTILE, title=HOSTILE, href="/x?a=1&b=" + HOSTILE
        ),
        ChainNode("k2", HOSTILE, "collapsed", HOSTILE, href="/y?q=" + HOSTILE),
    ]
    svg = chain_svg(nodes, title=HOSTILE, description=HOSTILE, id_prefix="c-1")
    text = str(svg)
    assert "<script" not in text
    assert '"x"' not in text
    assert "&b=" not in text and "& " not in text
    root = parse(svg)  # still well-formed
    groups = chain_nodes(root)
    assert groups[0].get("data-key") == HOSTILE
    assert groups[0].find(f"{NS}title").text.startswith(HOSTILE)
    assert root.find(f"{NS}title").text == HOSTILE
    assert [a.get("href") for a in root.iter(f"{NS}a")] == [
        "/x?a=1&b=" + HOSTILE,
        "/y?q=" + HOSTILE,
    ]


def test_chain_is_csp_safe():
    assert_csp_safe(chain_svg(sample(), **TEXTS))


def test_a_single_act_is_a_picture_too():
    root = parse(chain_svg([ChainNode("r", None, "act", "Alone")], **TEXTS))
    assert len(chain_nodes(root)) == 1 and chain_edges(root) == []
    assert root.get("viewBox").startswith("0 0 ")


def test_a_wide_chain_keeps_plain_coordinates():
    nodes = [ChainNode("r", None, "act", "root")]
    nodes += [ChainNode(str(i), "r", "placeholder", "") for i in range(3_000)]
    text = str(chain_svg(nodes, **TEXTS))
    assert "e+" not in text  # no exponent notation in coordinates


TEXTS = {"title": "A chain", "description": "Acts forwarded"}


@pytest.mark.parametrize(
    "nodes",
    [
        [],
        [ChainNode("r", None, "act", "x"), ChainNode("a", "nope", "act", "y")],
        [ChainNode("a", "r", "act", "y"), ChainNode("r", None, "act", "x")],  # child first
        [ChainNode("r", None, "act", "x"), ChainNode("r", "r", "act", "y")],  # duplicate key
        [ChainNode("r", None, "act", "x"), ChainNode("s", None, "act", "y")],  # two roots
        [ChainNode("r", None, "bogus", "x")],
        [ChainNode("r", None, "act", "x", href="javascript:alert(1)")],
        [ChainNode("r", None, "act", "x", href=" JavaScript:alert(1)")],
    ],
)
def test_chain_rejects_bad_input(nodes):
    with pytest.raises(ValueError):
        chain_svg(nodes, **TEXTS)
