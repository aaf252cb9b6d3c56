"""Access to /api/v1/received and /api/v1/forwards: read-only lists of one's own
kindness; nobody else's claims or forwards show in them."""

import pytest

from tests.clock import TODAY
from tests.factories import claim, make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")

LISTS = ["/api/v1/received", "/api/v1/forwards"]


@pytest.fixture
def people(session):
    """Ada's act, claimed by Ben, who passed it on; Cy, a stranger to both."""
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    cy = make_user(session, display_name="Cy")
    root = make_act(session, ada, TODAY, what="Ada's act")
    claim(session, root, ben)
    make_act(session, ben, TODAY, what="Ben's forward", parent=root)
    return ada, ben, cy, root


@pytest.mark.parametrize("path", LISTS)
def test_a_stranger_sees_nothing_of_theirs(api_as, people, path):
    _ada, _ben, cy, _root = people
    response = api_as(cy, scope="read").get(path)
    assert response.status_code == 200
    assert response.get_json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize(("who", "path"), [(1, "/api/v1/received"), (0, "/api/v1/forwards")])
def test_each_sees_their_own_with_a_read_token(api_as, people, who, path):
    root = people[3]
    (item,) = api_as(people[who], scope="read").get(path).get_json()["items"]
    assert item["ref"] == root.ref


@pytest.mark.parametrize("path", LISTS)
def test_the_lists_are_read_only(api_as, people, path):
    response = api_as(people[0]).post(path)
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
