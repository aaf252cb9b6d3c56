"""``/api/v1/chains/<ref>``: the chain as its page shows it to the person, masked
by the same domain function, folded as the page folds it."""

import pytest

from kindness.domain.chains import view as chain_view
from kindness.domain.teams import membership
from tests.clock import TODAY
from tests.factories import claim, make_act, make_contact, make_tree, make_user

pytestmark = pytest.mark.usefixtures("clock")
PROBLEM = "application/problem+json"


@pytest.fixture
def chain(session):
    """Ada's public act for her contact, Ben's private and team forwards, a team
    mate of Ben's, and a stranger."""
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    mate = make_user(session, display_name="Mate")
    stranger = make_user(session, display_name="Stranger")
    grete = make_contact(session, ada, "Grete the neighbour")
    root = make_act(session, ada, TODAY, what="Public start", visibility="public", contact=grete)
    claim(session, root, ben, named=True)
    private = make_act(session, ben, TODAY, what="Ben's private forward", parent=root)
    team_act = make_act(session, ben, TODAY, what="Ben's team forward", visibility="team",
                        parent=root)  # fmt: skip
    team = membership.create(session, ben, name="Bens", description=None, is_public=False)
    membership.join(session, team.invite_code, mate, TODAY)
    session.commit()
    people = {"ada": ada, "ben": ben, "mate": mate, "stranger": stranger}
    return {**people, "root": root, "private": private, "team_act": team_act}


def by_ref(body):
    return {node["ref"]: node for node in body["nodes"]}


def test_the_author_reads_her_chain_with_her_contact_and_placeholders(api_as, chain):
    response = api_as(chain["ada"], "read").get(f"/api/v1/chains/{chain['root'].ref}")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["ref"], body["acts"], body["generations"]) == (chain["root"].ref, 3, 2)
    assert body["folds"] == [] and body["gap"] is None
    nodes = by_ref(body)
    root = nodes[chain["root"].ref]
    assert root["what"] == "Public start" and root["yours"] is True
    assert root["recipient"] == "Grete the neighbour" and root["author"] == "Ada"
    assert root["date"] == TODAY.isoformat() and root["parent"] is None
    for act in ("private", "team_act"):
        node = nodes[chain[act].ref]
        assert node["placeholder"] is True and node["parent"] == chain["root"].ref
        assert node["what"] is node["author"] is node["date"] is node["recipient"] is None


@pytest.mark.parametrize(
    ("person", "sees"),
    [
        ("ada", {"root"}),
        ("ben", {"root", "private", "team_act"}),
        ("mate", {"root", "team_act"}),
        ("stranger", {"root"}),
    ],
)
def test_each_person_sees_what_the_page_shows_them(api_as, log_in, chain, person, sees):
    """Compared act by act with the chain's .json download for the same person."""
    ref = chain["team_act"].ref  # any act of the chain names it
    body = api_as(chain[person]).get(f"/api/v1/chains/{ref}").get_json()
    assert body["chosen"] == ref and body["path"] == [chain["root"].ref, ref]
    shown = {name for name in ("root", "private", "team_act")
             if not by_ref(body)[chain[name].ref]["placeholder"]}  # fmt: skip
    assert shown == sees
    download = log_in(chain[person]).get(f"/chains/{ref}.json").get_json()
    assert len(download["nodes"]) == len(body["nodes"])
    for node in download["nodes"]:
        mine = by_ref(body)[node["ref"]]
        assert mine["placeholder"] == node.get("placeholder", False)
        if not mine["placeholder"]:
            keys = ("what", "author", "recipient", "category", "date", "parent")
            assert {key: mine[key] for key in keys} == {key: node[key] for key in keys}
    # The recipient's contact name is Ada's alone.
    recipient = by_ref(body)[chain["root"].ref]["recipient"]
    assert (recipient == "Grete the neighbour") == (person == "ada")


def test_the_recipient_shows_by_name_once_claimed_and_named(api_as, session, chain):
    claim(session, chain["team_act"], chain["mate"], named=True)
    body = api_as(chain["mate"]).get(f"/api/v1/chains/{chain['root'].ref}").get_json()
    assert by_ref(body)[chain["team_act"].ref]["recipient"] == "Mate"
    assert by_ref(body)[chain["root"].ref]["recipient"] == "Ben"


@pytest.mark.parametrize("ref", ["nosuchref", "x" * 17, "%20"])
def test_an_unknown_chain_is_404(api_as, chain, ref):
    response = api_as(chain["ada"]).get(f"/api/v1/chains/{ref}")
    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert response.get_json()["type"] == "/developers/api#problem-not-found"


def test_opening_at_an_act_of_another_chain_is_404(api_as, session, chain):
    other = make_act(session, chain["ada"], TODAY, what="Elsewhere", visibility="public")
    response = api_as(chain["ada"]).get(
        f"/api/v1/chains/{chain['root'].ref}", query_string={"open": other.ref}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query",
    [{"skip": "-1"}, {"skip": "x"}, {"skip": str(2**31)}, {"open": "x" * 17}, {"open": ""}],
)
def test_bad_arguments_are_422_problems(api_as, chain, query):
    response = api_as(chain["ada"]).get(f"/api/v1/chains/{chain['root'].ref}", query_string=query)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert set(response.get_json()["errors"]["query"]) == set(query)


@pytest.fixture
def tree(session):
    first, second = make_user(session), make_user(session)
    return first, make_tree(session, first, second, 60, visibility="public")


def test_a_big_chain_is_folded_as_its_page_and_each_fold_opens(api_as, session, tree):
    first, acts = tree
    client = api_as(first)
    body = client.get(f"/api/v1/chains/{acts[0].ref}").get_json()
    viewer = membership.viewer_of(session, first.id)
    _act, stats = chain_view.find(session, acts[0].ref, viewer)
    page = chain_view.build(session, acts[0], stats, viewer)
    assert [node["ref"] for node in body["nodes"]] == [node.ref for node in page.nodes]
    assert body["folds"]
    assert len(body["nodes"]) + sum(fold["hidden"] for fold in body["folds"]) == 60
    fold = body["folds"][0]
    opened = client.get(
        f"/api/v1/chains/{acts[0].ref}",
        query_string={"open": fold["parent"], "skip": fold["skip"]},
    ).get_json()
    assert opened["opened"] == fold["parent"]
    new = {node["ref"] for node in opened["nodes"]} - {node["ref"] for node in body["nodes"]}
    assert new


def test_reading_a_chain_costs_a_fixed_number_of_queries(api_as, tree, count_queries):
    first, acts = tree
    client = api_as(first)
    client.get(f"/api/v1/chains/{acts[0].ref}")  # the token's first use is stamped
    with count_queries() as counter:
        assert client.get(f"/api/v1/chains/{acts[0].ref}").status_code == 200
    assert counter.count <= 8, counter.statements
