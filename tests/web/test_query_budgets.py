"""Query budgets: the most SQL statements each main page may run, as a contract.

Beside the few-against-many tests in each area's module (which show a page's
queries do not grow with its data), these set an absolute ceiling, in the
manner of Indico's query counting: a page that starts to need one more
statement fails here until the budget is raised on purpose. Each page is seen
by a signed-in member with a little of everything the page shows, and the
budget is the count measured on SQLite and on PostgreSQL. Transaction control
(SAVEPOINT, RELEASE, ROLLBACK) is not counted (see ``count_queries``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from kindness.domain import api_tokens
from kindness.domain.teams import membership, weeks
from tests.clock import TODAY
from tests.factories import (
    claim,
    make_act,
    make_acts,
    make_challenge,
    make_contact,
    make_tree,
    make_user,
)

# page: the most statements one GET of it may run (measured: the same on SQLite
# and PostgreSQL). Each count includes loading the signed-in user and the
# navigation's unread-notice count.
BUDGETS = {
    # One more for "where your kindness went": the five acts that travelled
    # furthest, their figures and generations in one recursive statement. Three
    # more for the teams' weeks: the weeks, the teams' tallies, the person's own
    # acts in them (the same for one team as for five: test_team_weeks_for_everyone).
    "dashboard": 14,
    "history": 6,
    # One more since the page is titled by the text of the chain's first public act;
    # three more for "How it grew": acts per (day, generation) and the fan-out of
    # every act (two aggregates, a few rows whatever the chain's size), and the
    # weeks of the drawn acts for the replay (at most the ~500 acts shown).
    "chain page": 11,
    "explore": 5,
    # One more for whether the viewer stays in the participation view.
    "team page": 13,
    # All chains are read at once: the same 10 for 1 chain as for 200, one of them
    # counting the chains for the pages and the chains of one act
    # (tests/web/test_teams.py compares them; 12 for one and 47 for eight before).
    "team chains": 10,
    "inbox": 4,
    # The person's notice choices are columns of their own row: nothing more to read.
    "notifications": 2,
    # The person's tokens in one statement, however many.
    "api tokens": 3,
}

pytestmark = pytest.mark.usefixtures("clock")


@dataclass
class Visit:
    """Who looks at which page, and a text that proves the page shows its data."""

    client: FlaskClient
    path: str
    shows: str


def team_of(session: Session, owner, *members, week: bool = True):
    team = membership.create(session, owner, name="Night Shift", description=None, is_public=False)
    for member in members:
        membership.join(session, team.invite_code, member, TODAY)
    if week:
        started = TODAY - timedelta(days=2)
        weeks.schedule_week(session, team, owner, started, today=started)
    session.commit()
    return team


def dashboard(session: Session, log_in) -> Visit:
    ada, ben = make_user(session, display_name="Ada"), make_user(session)
    team_of(session, ada, ben)
    make_challenge(session, ada, TODAY - timedelta(days=2), today=TODAY - timedelta(days=2))
    friends = [make_contact(session, ada, name) for name in ("Grete", "Hans")]
    make_acts(session, ada, [TODAY - timedelta(days=n) for n in range(5)], friends)
    given = claim(session, make_act(session, ada, TODAY, visibility="team"), ben)
    make_act(session, ben, TODAY, parent=given)
    return Visit(log_in(ada), "/", "3 of 7 days")


def history(session: Session, log_in) -> Visit:
    ada = make_user(session)
    friends = [make_contact(session, ada, name) for name in ("Grete", "Hans")]
    make_acts(session, ada, [TODAY - timedelta(days=n) for n in range(25)], friends)
    return Visit(log_in(ada), "/acts", "25 acts")


def chain_page(session: Session, log_in) -> Visit:
    ada, ben = make_user(session), make_user(session)
    tree = make_tree(session, ada, ben, 30, visibility="public")
    return Visit(log_in(ada), f"/chains/{tree[0].ref}", "through 2 people")


def explore(session: Session, log_in) -> Visit:
    ada, ben = make_user(session), make_user(session)
    for size in (3, 7, 12):
        make_tree(session, ada, ben, size, visibility="public")
    return Visit(log_in(make_user(session)), "/explore", "12 acts")


def team_page(session: Session, log_in) -> Visit:
    olga, mia, stan = (make_user(session) for _ in range(3))
    team = team_of(session, olga, mia, stan)
    for member in (olga, mia, stan):
        make_act(session, member, TODAY, visibility="team")
    return Visit(log_in(olga), f"/teams/{team.slug}", "<strong>3</strong> members who acted")


def team_chains(session: Session, log_in) -> Visit:
    # Exactly one chain, so the budget holds while the page still reads per chain.
    olga, mia, outsider = (make_user(session) for _ in range(3))
    team = team_of(session, olga, mia, week=False)
    root = make_act(session, mia, TODAY, what="Started in the team", visibility="public")
    claim(session, root, outsider)
    make_act(session, outsider, TODAY, what="Outside the team", visibility="public", parent=root)
    return Visit(log_in(olga), f"/teams/{team.slug}/chains", "passed on beyond the team once")


def inbox(session: Session, log_in) -> Visit:
    ada, ben, cy = (make_user(session) for _ in range(3))
    first = make_act(session, ada, TODAY, what="Shovelled the snow")
    claim(session, first, ben)
    claim(session, make_act(session, ben, TODAY, parent=first), cy)
    claim(session, make_act(session, ada, TODAY), cy)
    return Visit(log_in(ada), "/inbox", "Your kindness travelled")


def notifications(session: Session, log_in) -> Visit:
    return Visit(log_in(make_user(session)), "/settings/notifications", "Weekly, on Mondays")


def api_tokens_page(session: Session, log_in) -> Visit:
    ada = make_user(session)
    for name in ("Phone", "Bot", "School site"):
        api_tokens.make(session, ada, name, "read", None, TODAY)
    session.commit()
    return Visit(log_in(ada), "/settings/tokens", "School site")


PAGES: dict[str, Callable[[Session, Callable], Visit]] = {
    "dashboard": dashboard,
    "history": history,
    "chain page": chain_page,
    "explore": explore,
    "team page": team_page,
    "team chains": team_chains,
    "inbox": inbox,
    "notifications": notifications,
    "api tokens": api_tokens_page,
}


def test_every_budgeted_page_has_a_visit():
    assert PAGES.keys() == BUDGETS.keys()


@pytest.mark.parametrize("page", BUDGETS)
def test_page_stays_within_its_query_budget(page, session, log_in, count_queries):
    visit = PAGES[page](session, log_in)
    with count_queries() as counter:
        response = visit.client.get(visit.path)
    assert response.status_code == 200
    assert visit.shows in response.get_data(as_text=True)
    assert counter.count <= BUDGETS[page], "\n\n".join(counter.statements)
