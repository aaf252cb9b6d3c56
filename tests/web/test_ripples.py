"""Where your kindness went, on the dashboard and on an act's own page: counts and
shape only, a link into the chain opened at the act, and no word of failure."""

import re
from datetime import timedelta

import pytest

from tests.clock import TODAY
from tests.factories import claim, make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")

SECRETS = ("Ben's public forward", "Ben's team forward", "Cy's private forward", "Cyrille")
FAILURE_WORDS = ("0 people", "0 acts", "ended", "no one", "nobody", "failed", "broke", "yet to")


@pytest.fixture
def tree(session):
    """Ada's act; Ben claimed it and passed it on twice (public, team); Cyrille
    claimed the second and passed it on privately."""
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    cy = make_user(session, display_name="Cyrille")
    root = make_act(session, ada, TODAY - timedelta(days=3), what="Ada's shopping help")
    claim(session, root, ben)
    make_act(session, ben, TODAY, what=SECRETS[0], visibility="public", parent=root)
    second = make_act(session, ben, TODAY, what=SECRETS[1], visibility="team", parent=root)
    claim(session, second, cy)
    make_act(session, cy, TODAY, what=SECRETS[2], parent=second)
    quiet = make_act(session, ada, TODAY, what="Ada's quiet act")
    return ada, root, quiet


def shows_no_secret(page):
    for secret in SECRETS:
        assert secret not in page


@pytest.mark.parametrize("path", ["/", "/acts/{id}"])
def test_ripples_show_counts_and_a_link_into_the_chain(log_in, tree, path):
    ada, root, _quiet = tree
    page = log_in(ada).get(path.format(id=root.id)).get_data(as_text=True)
    assert "Where your kindness went" in page
    # Ben, Cyrille and two unnamed people; two generations below Ada's act.
    assert "Your kindness has reached 4 people, 2 generations deep." in page
    assert "3 acts of kindness grew from it." in page
    assert f'href="/chains/{root.ref}?open={root.ref}"' in page
    picture = re.search(r'<svg[^>]*class="ripple".*?</svg>', page, re.S).group(0)
    assert "generation by generation: 2, 1." in picture
    shows_no_secret(page)


def test_the_chain_link_opens_the_chain_at_the_act(log_in, tree):
    ada, root, _quiet = tree
    client = log_in(ada)
    page = client.get("/").get_data(as_text=True)
    link = re.search(r'href="(/chains/[^"]+)"', page).group(1).replace("&amp;", "&")
    assert link == f"/chains/{root.ref}?open={root.ref}"
    response = client.get(link)
    assert response.status_code == 200
    assert "Ada&#39;s shopping help" in response.get_data(as_text=True)


def test_an_act_that_did_not_travel_says_nothing_of_failure(log_in, tree):
    ada, _root, quiet = tree
    client = log_in(ada)
    page = client.get(f"/acts/{quiet.id}").get_data(as_text=True)
    section = re.search(r'aria-labelledby="ripples-heading">(.*?)</section>', page, re.S).group(1)
    assert "When it travels on, you'll see it here." in section
    assert "<svg" not in section
    for word in FAILURE_WORDS:
        assert word not in section.lower()
    # On the dashboard it is simply not listed.
    dashboard = client.get("/").get_data(as_text=True)
    assert dashboard.count('class="ripple-item"') == 1
    assert (
        "Ada&#39;s quiet act"
        not in dashboard.split('id="ripples-heading"')[1].split("</section>")[0]
    )


def test_a_new_person_sees_no_ripples_section(client, session, log_in):
    newcomer = make_user(session)
    make_act(session, newcomer, TODAY)
    page = log_in(newcomer).get("/").get_data(as_text=True)
    assert "ripples-heading" not in page


def test_ripples_in_german(session, log_in, tree):
    ada, root, _quiet = tree
    ada.locale = "de"
    session.commit()
    page = log_in(ada).get(f"/acts/{root.id}").get_data(as_text=True)
    assert "Wohin deine Freundlichkeit gegangen ist" in page
    assert "4 Menschen" in page and "2 Generationen" in page


def test_someone_elses_act_page_stays_404(log_in, session, tree):
    _ada, root, _quiet = tree
    other = make_user(session)
    assert log_in(other).get(f"/acts/{root.id}").status_code == 404


def test_dashboard_ripples_take_the_same_queries_for_one_and_five_chains(
    session, log_in, count_queries
):
    ada, ben = make_user(session), make_user(session)
    client = log_in(ada)

    def travelled(below):
        act = make_act(session, ada, TODAY - timedelta(days=5))
        claim(session, act, ben)
        for _ in range(below):
            make_act(session, ben, TODAY, parent=act)

    travelled(1)
    with count_queries() as one:
        assert client.get("/").status_code == 200
    for below in (2, 3, 4, 5, 6, 7):
        travelled(below)
    with count_queries() as many:
        page = client.get("/").get_data(as_text=True)
    assert page.count('class="ripple-item"') == 5
    assert one.count == many.count


def test_a_walk_stopped_at_its_limit_shows_its_figures_as_at_least(
    log_in, session, tree, monkeypatch
):
    """Ben's two forwards of today and the one act below the second: with room for
    three rows the walk stops in generation 1, so the second's figures are lower
    bounds and the page says so."""
    from kindness.domain.chains import ripples
    from kindness.models import User

    ben = session.query(User).filter_by(display_name="Ben").one()
    monkeypatch.setattr(ripples, "WALK_LIMIT", 3)
    ripples._furthest_statement.cache_clear()
    try:
        page = log_in(ben).get("/").get_data(as_text=True)
    finally:
        ripples._furthest_statement.cache_clear()
    assert "At least 1 act of kindness grew from it." in page
    # Cyrille, who received it, and the unnamed one below.
    assert "Your kindness has reached at least 2 people, at least 1 generation deep." in page
    shows_no_secret(page)
