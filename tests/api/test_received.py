"""/api/v1/received and /api/v1/forwards: kindness the person received (acts they
claimed), and what grew from their own acts (counts only, as the pages)."""

from datetime import timedelta

import pytest

from tests.clock import TODAY
from tests.factories import claim, make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")

PROBLEM = "application/problem+json"
SECRETS = ("Ben's public forward", "Ben's team forward", "Cy's private forward")


@pytest.fixture
def tree(session):
    """Ada's act; Ben claimed it and passed it on twice (public, team); Cy claimed
    the second and passed it on privately. Ada's quiet act grew nothing."""
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    cy = make_user(session, display_name="Cy")
    root = make_act(session, ada, TODAY - timedelta(days=3), what="Ada's shopping help")
    claim(session, root, ben, named=True)
    make_act(session, ben, TODAY, what=SECRETS[0], visibility="public", parent=root)
    second = make_act(session, ben, TODAY, what=SECRETS[1], visibility="team", parent=root)
    claim(session, second, cy)
    make_act(session, cy, TODAY, what=SECRETS[2], parent=second)
    make_act(session, ada, TODAY, what="Ada's quiet act")
    return {"ada": ada, "ben": ben, "cy": cy, "root": root, "second": second}


def test_received_lists_the_claimed_acts_as_the_page(api_as, tree):
    page = api_as(tree["ben"]).get("/api/v1/received").get_json()
    assert page["next_cursor"] is None
    (item,) = page["items"]
    assert item["ref"] == tree["root"].ref
    assert item["giver_name"] == "Ada"
    assert item["named"] is True
    # The card showed no text and the act is private: not a word of it.
    assert item["what"] is None
    assert item["thanks"] is None


def test_received_is_empty_for_someone_who_claimed_nothing(api_as, tree):
    assert api_as(tree["ada"]).get("/api/v1/received").get_json() == {
        "items": [],
        "next_cursor": None,
    }


def test_forwards_give_counts_and_never_the_text_below(api_as, tree):
    response = api_as(tree["ada"]).get("/api/v1/forwards")
    assert response.status_code == 200
    (item,) = response.get_json()["items"]
    assert item["act_id"] == tree["root"].id
    assert item["what"] == "Ada's shopping help"
    assert (item["acts_below"], item["generations"], item["people"]) == (3, 2, 4)
    assert item["per_generation"] == [2, 1]
    assert item["at_least"] is False
    for secret in SECRETS:
        assert secret not in response.get_data(as_text=True)


def test_forwards_of_a_forward_author(api_as, tree):
    (item,) = api_as(tree["ben"]).get("/api/v1/forwards").get_json()["items"]
    assert item["act_id"] == tree["second"].id
    assert (item["acts_below"], item["generations"]) == (1, 1)


def test_both_lists_page_newest_first(api_as, session):
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    roots = []
    for days in (1, 2, 3):
        root = make_act(session, ada, TODAY - timedelta(days=days), what=f"Ada {days}")
        claim(session, root, ben)
        make_act(session, ben, TODAY, what=f"Ben {days}", parent=root)
        roots.append(root)
    for user, path in ((ben, "/api/v1/received"), (ada, "/api/v1/forwards")):
        api = api_as(user)
        first = api.get(path, query_string={"limit": 2}).get_json()
        rest = api.get(path, query_string={"limit": 2, "cursor": first["next_cursor"]}).get_json()
        assert rest["next_cursor"] is None
        refs = [item["ref"] for item in first["items"] + rest["items"]]
        assert refs == [root.ref for root in roots], path


@pytest.mark.parametrize("path", ["/api/v1/received", "/api/v1/forwards"])
@pytest.mark.parametrize("query", [{"limit": 0}, {"cursor": "bm9wZQ"}, {"limit": "ten"}])
def test_bad_list_arguments_are_422(api_as, tree, path, query):
    response = api_as(tree["ada"]).get(path, query_string=query)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM


@pytest.mark.parametrize(
    ("who", "path"), [("ben", "/api/v1/received"), ("ada", "/api/v1/forwards")]
)
def test_the_lists_cost_the_same_whatever_their_page_size(
    api_as, session, count_queries, who, path
):
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    for days in range(4):
        root = make_act(session, ada, TODAY - timedelta(days=days), what=f"Ada {days}")
        claim(session, root, ben)
        make_act(session, ben, TODAY, what=f"Ben {days}", parent=root)
    api = api_as({"ada": ada, "ben": ben}[who])
    api.get("/api/v1/me")  # the token's first use of the day writes its last-used date
    counts = []
    for limit in (1, 4):
        with count_queries() as counter:
            items = api.get(path, query_string={"limit": limit}).get_json()["items"]
        assert len(items) == limit
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 3
