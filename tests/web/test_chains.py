"""Chain pages and their data forms, masked for every kind of viewer."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.clock import TODAY
from tests.factories import claim, make_act, make_contact, make_tree, make_user

FORMATS = ("", ".svg", ".json", ".graphml")


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def chain(session):
    """ada's private act for her contact, claimed by ben (named), who passed it on
    publicly; cy claimed that one anonymously and passed it on for teams."""
    ada = make_user(session, display_name="AdaDisplay")
    ben = make_user(session, display_name="BenDisplay")
    cy = make_user(session, display_name="CyDisplay")
    friend = make_contact(session, ada, "ContactNameSecret")
    root = make_act(session, ada, TODAY, what="PrivateRootText", contact=friend, note="NoteSecret")
    claim(session, root, ben, named=True)
    middle = make_act(session, ben, TODAY, what="PublicMiddleText", visibility="public")
    middle_forward = make_act(
        session, ben, TODAY, what="PublicForwardText", visibility="public", parent=root
    )
    claim(session, middle_forward, cy, named=False)
    leaf = make_act(
        session, cy, TODAY, what="TeamLeafText", visibility="team", parent=middle_forward
    )
    return {
        "ada": ada,
        "ben": ben,
        "cy": cy,
        "root": root,
        "forward": middle_forward,
        "leaf": leaf,
        "unrelated": middle,
    }


def fetch_all(client, ref):
    return {fmt: client.get(f"/chains/{ref}{fmt}") for fmt in FORMATS}


def test_anonymous_viewer_sees_public_acts_and_placeholders(app, chain):
    responses = fetch_all(app.test_client(), chain["forward"].ref)
    for fmt, response in responses.items():
        assert response.status_code == 200, fmt
        text = response.get_data(as_text=True)
        assert "PublicForwardText" in text, fmt
        for secret in (
            "PrivateRootText",
            "ContactNameSecret",
            "NoteSecret",
            "TeamLeafText",
            "AdaDisplay",
            "CyDisplay",
        ):
            assert secret not in text, (fmt, secret)
    page = responses[""].get_data(as_text=True)
    # The public act's author, and a recipient who claimed anonymously reads "someone".
    assert "BenDisplay → someone" in page
    data = responses[".json"].get_json()
    assert data["acts"] == 3
    assert sum(1 for node in data["nodes"] if node.get("placeholder")) == 2
    assert all("what" not in node for node in data["nodes"] if node.get("placeholder"))
    ET.fromstring(responses[".graphml"].get_data(as_text=True))  # noqa: S314  (our own output)
    ET.fromstring(responses[".svg"].get_data(as_text=True))  # noqa: S314


def test_signed_in_stranger_sees_the_same_as_anonymous(session, chain, log_in):
    stranger = log_in(make_user(session))
    for fmt, response in fetch_all(stranger, chain["root"].ref).items():
        text = response.get_data(as_text=True)
        assert "PublicForwardText" in text, fmt
        for secret in ("PrivateRootText", "ContactNameSecret", "TeamLeafText", "CyDisplay"):
            assert secret not in text, (fmt, secret)


def test_author_sees_own_act_with_contact_name_but_not_others_private(chain, log_in):
    ada = log_in(chain["ada"])
    for fmt, response in fetch_all(ada, chain["root"].ref).items():
        text = response.get_data(as_text=True)
        assert "PrivateRootText" in text, fmt
        assert "TeamLeafText" not in text, fmt
        assert "NoteSecret" not in text, fmt
    page = ada.get(f"/chains/{chain['root'].ref}").get_data(as_text=True)
    assert "AdaDisplay → ContactNameSecret" in page
    assert "is-own" in page


def test_a_named_recipient_shows_by_display_name_to_others(session, chain, log_in):
    cy = log_in(chain["cy"])
    page = cy.get(f"/chains/{chain['forward'].ref}").get_data(as_text=True)
    # ben claimed the root and chose to be named, but the root is private to cy.
    assert "PrivateRootText" not in page
    assert "TeamLeafText" in page  # cy's own act
    assert "CyDisplay → someone" in page


def test_team_acts_are_placeholders_without_a_shared_team(session, chain, log_in):
    # No teams exist yet, so nobody but the author is a co-member.
    ben = log_in(chain["ben"])
    text = ben.get(f"/chains/{chain['leaf'].ref}.json").get_data(as_text=True)
    assert "TeamLeafText" not in text


def test_anonymous_viewer_gets_404_for_a_chain_without_public_acts(app, session, log_in):
    ada = make_user(session)
    act = make_act(session, ada, TODAY, what="Only private")
    anonymous = app.test_client()
    for fmt in FORMATS:
        assert anonymous.get(f"/chains/{act.ref}{fmt}").status_code == 404, fmt
    assert log_in(make_user(session)).get(f"/chains/{act.ref}").status_code == 200
    assert anonymous.get("/chains/unknown-ref").status_code == 404
    assert anonymous.get("/chains/" + "x" * 300).status_code == 404


def test_the_path_to_the_chosen_act_is_highlighted(app, chain):
    page = app.test_client().get(f"/chains/{chain['leaf'].ref}").get_data(as_text=True)
    assert page.count('class="chain-edge on-path"') == 2
    assert "on the chosen path" in page


def test_hostile_text_is_escaped_everywhere(app, session):
    ada = make_user(session, display_name='<b>"Ada"</b>')
    act = make_act(session, ada, TODAY, what='<script>alert("x")</script>', visibility="public")
    client = app.test_client()
    for fmt in FORMATS:
        text = client.get(f"/chains/{act.ref}{fmt}").get_data(as_text=True)
        assert "<script>alert" not in text, fmt
        assert "<b>" not in text, fmt
    data = client.get(f"/chains/{act.ref}.json").get_json()
    assert data["nodes"][0]["what"] == '<script>alert("x")</script>'


def test_chain_page_queries_do_not_grow_with_the_chain(session, count_queries, log_in):
    ada, ben = make_user(session), make_user(session)
    small = make_tree(session, ada, ben, 10, visibility="public")
    big = make_tree(session, ada, ben, 1000, visibility="public")
    client = log_in(ada)
    with count_queries() as few:
        assert client.get(f"/chains/{small[0].ref}").status_code == 200
    with count_queries() as many:
        assert client.get(f"/chains/{big[0].ref}").status_code == 200
    assert few.count == many.count


def test_a_big_chain_is_summarised_and_opens_on_click(app, session):
    ada, ben = make_user(session), make_user(session)
    tree = make_tree(session, ada, ben, 1200, visibility="public")
    client = app.test_client()
    page = client.get(f"/chains/{tree[0].ref}").get_data(as_text=True)
    assert page.count('class="chain-node kind-act') <= 500
    assert "kind-collapsed" in page
    opener = re.search(r'href="(/chains/[^"]+\?open=[^"]+)"', page).group(1)
    opened = client.get(opener.replace("&amp;", "&"))
    assert opened.status_code == 200
    assert "Back to the start of the chain" in opened.get_data(as_text=True)


def test_unknown_open_reference_is_404(app, session, chain):
    client = app.test_client()
    assert client.get(f"/chains/{chain['forward'].ref}?open=nope").status_code == 404
    assert client.get(f"/chains/{chain['forward'].ref}?skip=abc").status_code == 200


def test_json_lists_parents_before_children(app, chain):
    data = json.loads(app.test_client().get(f"/chains/{chain['root'].ref}.json").data)
    seen = set()
    for node in data["nodes"]:
        assert node["parent"] is None or node["parent"] in seen
        seen.add(node["ref"])


def test_opening_deep_in_a_deep_chain_folds_the_ancestors(app, session):
    from sqlalchemy import select

    from kindness.models import Act

    ada, ben = make_user(session), make_user(session)
    first = make_act(session, ada, TODAY, visibility="public")
    # A path of 2,500 acts, authors taking turns, built in one flush.
    previous, acts_made = first, [first]
    from kindness.domain.chains import statistics

    for depth in range(1, 2500):
        author = ben if depth % 2 else ada
        previous.recipient_id = author.id
        act = Act(
            author_id=author.id,
            what=f"Deep {depth}",
            performed_on=TODAY,
            category="help",
            visibility="public",
            parent_id=previous.id,
            root_id=first.id,
            depth=depth,
        )
        session.add(act)
        session.flush()
        previous, acts_made = act, [*acts_made, act]
    statistics.recompute(session, first.id)
    session.commit()
    deep_ref = session.scalar(select(Act.ref).where(Act.id == acts_made[2400].id))
    page = app.test_client().get(f"/chains/{first.ref}?open={deep_ref}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "kind-collapsed" in text
    assert text.count('class="chain-node kind-act') <= 500 + 101


def test_several_chains_are_built_as_each_would_be_alone(session, chain):
    from kindness.domain.chains import view as chain_view
    from kindness.domain.chains.masking import Viewer
    from kindness.models import Act, ChainStats

    # A tree big enough to be summarised at this budget, and a chain of one.
    tree = make_tree(session, chain["ada"], chain["ben"], 300, visibility="public")
    roots = [chain["root"], tree[0], chain["unrelated"]]
    stats = [session.get(ChainStats, root.id) for root in roots]
    viewers = [Viewer(), Viewer(user_id=chain["ada"].id),
               Viewer(user_id=chain["ben"].id, team_mates=frozenset({chain["cy"].id}))]  # fmt: skip
    for viewer in viewers:
        together = chain_view.build_many(session, stats, viewer, budget=20)
        alone = [
            chain_view.build(session, session.get(Act, root.id), figures, viewer, budget=20)
            for root, figures in zip(roots, stats, strict=True)
        ]
        assert together == alone
    assert together[1].summarised and len(together[1].nodes) == 20
    assert [len(view.nodes) for view in together] == [3, 20, 1]
    assert chain_view.build_many(session, [], Viewer()) == []


def test_anonymous_visitors_see_only_chains_with_a_public_act_one_rule(session, chain):
    from sqlalchemy import select

    from kindness.domain.chains import view as chain_view
    from kindness.domain.chains.masking import Viewer
    from kindness.domain.errors import NotFound
    from kindness.models import ChainStats

    hidden = make_act(session, chain["ada"], TODAY, what="Private chain of one")
    for viewer, expected in ((Viewer(), {chain["root"].id, chain["unrelated"].id}),
                             (Viewer(user_id=chain["cy"].id),
                              {chain["root"].id, chain["unrelated"].id, hidden.id})):  # fmt: skip
        shown = set(session.scalars(select(ChainStats.root_id).where(chain_view.shown_to(viewer))))
        assert shown == expected
    with pytest.raises(NotFound):
        chain_view.find(session, hidden.ref, Viewer())
    assert chain_view.find(session, hidden.ref, Viewer(user_id=chain["cy"].id))[0] == hidden


def test_the_outline_of_a_deep_chain_stops_nesting_and_names_generations(session, log_in):
    from html.parser import HTMLParser

    from kindness.web.chain_pictures import OUTLINE_DEPTH
    from tests.chain_shapes import DEMO_ACTS, DEMO_GENERATIONS, make_shaped_chain, shape

    first, second = make_user(session), make_user(session)
    acts = make_shaped_chain(session, first, second, shape(DEMO_ACTS, DEMO_GENERATIONS))
    page = log_in(first).get(f"/chains/{acts[0].ref}").get_data(as_text=True)
    outline = page[page.index('<ul class="chain-outline">') :]

    class Depth(HTMLParser):
        depth = deepest = 0
        closed = False

        def handle_starttag(self, tag, attrs):
            if tag == "ul" and not self.closed:
                self.depth += 1
                self.deepest = max(self.deepest, self.depth)

        def handle_endtag(self, tag):
            if tag == "ul" and not self.closed:
                self.depth -= 1
                self.closed = self.depth == 0

    parser = Depth()
    parser.feed(outline)
    assert parser.deepest == OUTLINE_DEPTH
    assert "Generation 12:" in outline  # deeper acts still say where they stand


def test_a_link_to_an_act_beyond_the_fold_opens_the_picture_at_it(session, log_in):
    from tests.chain_shapes import make_shaped_chain

    first, second = make_user(session), make_user(session)
    line = make_shaped_chain(session, first, second, [None, *range(29)], private_every=1000)
    deep = line[25]
    page = log_in(first).get(f"/chains/{deep.ref}").get_data(as_text=True)
    assert f'data-key="{deep.ref}"' in page  # drawn, not folded away
    assert f'data-focus="{deep.ref}"' in page  # and the picture opens on it
    root = log_in(first).get(f"/chains/{line[0].ref}").get_data(as_text=True)
    assert f'data-key="{deep.ref}"' not in root  # from the root it lies beyond the fold


def test_several_chains_drawn_together_fold_each_at_its_own_depth(session):
    from kindness.domain.chains import view as chain_view
    from kindness.domain.chains.masking import Viewer
    from kindness.models import ChainStats
    from tests.chain_shapes import make_shaped_chain

    first, second = make_user(session), make_user(session)
    line = make_shaped_chain(session, first, second, [None, *range(29)], private_every=1000)
    single = make_shaped_chain(session, first, second, [None], private_every=1000)
    stats = [session.get(ChainStats, line[0].id), session.get(ChainStats, single[0].id)]
    views = chain_view.build_many(session, stats, Viewer(user_id=first.id))
    drawn_depths = [node.depth for node in views[0].nodes]
    assert max(drawn_depths) == chain_view.DEPTH  # folded after 12 generations below the root
    assert views[0].collapsed  # the rest stands in a "+N acts" node
    alone = chain_view.build(session, line[0], stats[0], Viewer(user_id=first.id))
    assert [node.id for node in alone.nodes] == [node.id for node in views[0].nodes]
