"""Access to the chain and explore operations: another person's acts are
placeholders, never their text; what is not there (or not theirs to open) is
404; the public listings list nothing private. There is no write here for a
read token to be refused."""

import pytest

from tests.clock import TODAY
from tests.factories import make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")

CHAIN = "/api/v1/chains/{ref}"
EXPLORE_CHAINS = "/api/v1/explore/chains"
EXPLORE_TEAMS = "/api/v1/explore/teams"


@pytest.fixture
def people(session):
    ada, ben = make_user(session), make_user(session)
    private = make_act(session, ada, TODAY, what="Ada's own secret")
    public = make_act(session, ada, TODAY, what="Ada's public act", visibility="public")
    return {"ada": ada, "ben": ben, "private": private, "public": public}


def test_another_persons_private_chain_is_a_placeholder_to_ben(api_as, people):
    response = api_as(people["ben"], "read").get(CHAIN.format(ref=people["private"].ref))
    assert response.status_code == 200
    (node,) = response.get_json()["nodes"]
    assert node["placeholder"] is True and node["what"] is None
    assert "Ada's own secret" not in response.get_data(as_text=True)


def test_a_missing_chain_and_another_chains_act_are_404(api_as, people):
    client = api_as(people["ben"])
    assert client.get(CHAIN.format(ref="ZZZZZZZZ")).status_code == 404
    response = client.get(
        CHAIN.format(ref=people["public"].ref), query_string={"open": people["private"].ref}
    )
    assert response.status_code == 404
    assert "Ada's own secret" not in response.get_data(as_text=True)


@pytest.mark.parametrize("template", [EXPLORE_CHAINS, EXPLORE_TEAMS])
def test_the_listings_show_nothing_private_of_another(api_as, session, people, template):
    from kindness.domain.teams import membership

    membership.create(session, people["ada"], name="Ada's hidden team", description="Ours",
                      is_public=False)  # fmt: skip
    session.commit()
    response = api_as(people["ben"], "read").get(template)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Ada's own secret" not in text and people["private"].ref not in text
    assert "Ada's hidden team" not in text
