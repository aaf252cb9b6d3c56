"""``/api/v1/explore/...``: the public chains and the public teams, with the
explore pages' filters, sorts and pages (as cursors)."""

import pytest

from kindness.api import pagination
from kindness.domain import explore
from kindness.domain.teams import membership, weeks
from tests.clock import TODAY
from tests.factories import make_act, make_tree, make_user

pytestmark = pytest.mark.usefixtures("clock")
PROBLEM = "application/problem+json"


def refs(body):
    return [item["ref"] for item in body["items"]]


def test_only_chains_with_a_public_act_are_listed(api_as, session):
    ada = make_user(session)
    public = make_act(session, ada, TODAY, what="A public act", visibility="public")
    private = make_act(session, ada, TODAY, what="A private act")
    team = make_act(session, ada, TODAY, what="A team act", visibility="team")
    response = api_as(ada, "read").get("/api/v1/explore/chains")
    assert response.status_code == 200
    body = response.get_json()
    assert refs(body) == [public.ref] and body["next_cursor"] is None
    (item,) = body["items"]
    assert item["text"] == "A public act"
    assert (item["acts"], item["generations"]) == (1, 1) and item["reach"] >= 1
    assert item["started_in"] == item["last_grew_in"] == TODAY.strftime("%Y-%m")
    assert private.ref not in str(body) and team.ref not in str(body)


def test_chains_are_sorted_filtered_and_searched_as_on_the_page(api_as, session):
    ada, ben = make_user(session), make_user(session)
    big = make_tree(session, ada, ben, 30, visibility="public")
    small = make_act(session, ada, TODAY, what="Gave my umbrella away", category="gift",
                     visibility="public")  # fmt: skip
    client = api_as(ada)

    def listed(**query):
        response = client.get("/api/v1/explore/chains", query_string=query)
        assert response.status_code == 200
        return refs(response.get_json())

    assert listed(sort="generations") == [big[0].ref, small.ref]
    assert listed(sort="newest") == [small.ref, big[0].ref]
    assert listed(category="gift") == [small.ref]
    assert listed(q="UMBRELLA") == [small.ref]
    assert listed(q="  %  ") == listed()  # no word: no search
    for item, page_item in zip(
        client.get("/api/v1/explore/chains?q=umbr").get_json()["items"],
        explore.listing(session, query="umbr").chains,
        strict=True,
    ):
        assert item["text"] == "Gave my umbrella away" and page_item.root_id == small.id


def test_the_cursor_walks_the_pages_of_the_listing(api_as, session):
    ada = make_user(session)
    made = [make_act(session, ada, TODAY, what=f"Act {n}", visibility="public") for n in range(23)]
    client = api_as(ada)
    first = client.get("/api/v1/explore/chains?sort=newest").get_json()
    assert len(first["items"]) == explore.PAGE_SIZE and first["next_cursor"]
    second = client.get(
        "/api/v1/explore/chains", query_string={"sort": "newest", "cursor": first["next_cursor"]}
    ).get_json()
    assert second["next_cursor"] is None
    assert refs(first) + refs(second) == [act.ref for act in reversed(made)]


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "best"},
        {"category": "bribery"},
        {"q": "x" * (explore.QUERY_MAX + 1)},
        {"cursor": "nonsense"},
        {"cursor": pagination.encode([0])},
        {"cursor": pagination.encode([explore.PAGE_MAX + 1])},
        {"cursor": pagination.encode(["2"])},
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/explore/chains", "/api/v1/explore/teams"])
def test_bad_filters_are_422_problems(api_as, session, path, query):
    if path.endswith("teams") and "category" in query:
        query = {"sort": "reach"}  # the directory has no categories; reach is no order of it
    response = api_as(make_user(session)).get(path, query_string=query)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert set(response.get_json()["errors"]["query"]) == set(query)


def test_the_last_page_gives_no_cursor(api_as, session):
    make_act(session, make_user(session), TODAY, visibility="public")
    client = api_as(make_user(session))
    last = client.get(
        "/api/v1/explore/chains", query_string={"cursor": pagination.encode([explore.PAGE_MAX])}
    )
    assert last.status_code == 200
    assert last.get_json() == {"items": [], "next_cursor": None}


def test_listing_chains_costs_a_fixed_number_of_queries(api_as, session, count_queries):
    ada, ben = make_user(session), make_user(session)
    make_tree(session, ada, ben, 5, visibility="public")
    client = api_as(ada)
    client.get("/api/v1/explore/chains")
    with count_queries() as few:
        assert client.get("/api/v1/explore/chains").status_code == 200
    for _ in range(3):
        make_tree(session, ada, ben, 40, visibility="public")
    with count_queries() as many:
        assert len(client.get("/api/v1/explore/chains").get_json()["items"]) == 4
    assert few.count == many.count <= 6, many.statements


def test_the_directory_lists_public_teams_only(api_as, session):
    olga, mia = make_user(session), make_user(session)
    public = membership.create(session, olga, name="Open Hands", description="We help",
                               is_public=True)  # fmt: skip
    membership.create(session, olga, name="Secret Club", description="Hush", is_public=False)
    membership.join(session, public.invite_code, mia, TODAY)
    weeks.schedule_week(session, public, olga, TODAY, TODAY)
    session.commit()
    client = api_as(mia)
    body = client.get("/api/v1/explore/teams").get_json()
    assert body == {
        "items": [
            {
                "slug": public.slug,
                "name": "Open Hands",
                "description": "We help",
                "members": 2,
                "week": {
                    "starts_on": TODAY.isoformat(),
                    "ends_on": weeks.week_ends_on(TODAY).isoformat(),
                    "running": True,
                },
            }
        ],
        "next_cursor": None,
    }
    assert client.get("/api/v1/explore/teams?q=hush").get_json()["items"] == []
    assert client.get("/api/v1/explore/teams?q=HELP").get_json()["items"][0]["slug"] == public.slug


def test_the_directory_pages_and_costs_a_fixed_number_of_queries(api_as, session, count_queries):
    olga = make_user(session)
    for number in range(22):
        membership.create(session, olga, name=f"Team {number:02}", description=None,
                          is_public=True)  # fmt: skip
    session.commit()
    client = api_as(olga)
    client.get("/api/v1/explore/teams")
    with count_queries() as counter:
        first = client.get("/api/v1/explore/teams").get_json()
    assert counter.count <= 5, counter.statements
    assert len(first["items"]) == 20
    second = client.get(
        "/api/v1/explore/teams", query_string={"cursor": first["next_cursor"]}
    ).get_json()
    assert [item["name"] for item in second["items"]] == ["Team 20", "Team 21"]
    assert second["next_cursor"] is None
