"""The privacy crawl: marker strings planted in private places must never show
on any page, picture, preview or export reachable from /explore and the public
profiles — for an anonymous viewer, a signed-in stranger and a team co-member."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from kindness.domain import profiles
from kindness.domain.teams import membership, weeks
from tests.clock import TODAY
from tests.factories import claim, make_act, make_contact, make_user

PRIVATE_MARKERS = ("PRIVMARKER-act", "PRIVMARKER-note", "PRIVMARKER-contact", "PRIVMARKER-email")
TEAM_MARKER = "TEAMMARKER-act"
LINK = re.compile(r'(?:href|src|content)="([^"]+)"')


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def world(session):
    """Two people with private, team and public acts in shared chains."""
    ada = make_user(session, display_name="Ada", email="privmarker-email@example.org")
    ben = make_user(session, display_name="Ben")
    mate = make_user(session, display_name="Mate")
    friend = make_contact(session, ada, "PRIVMARKER-contact", note="PRIVMARKER-note")
    root = make_act(session, ada, TODAY, what="Public start", visibility="public",
                    contact=friend, note="PRIVMARKER-note")  # fmt: skip
    claim(session, root, ben, named=True)
    make_act(session, ben, TODAY, what="PRIVMARKER-act", parent=root, note="PRIVMARKER-note")
    team_act = make_act(session, ben, TODAY, what=TEAM_MARKER, visibility="team", parent=root)
    claim(session, team_act, ada)
    make_act(session, ada, TODAY, what="Public end", visibility="public", parent=team_act)
    make_act(session, ada, TODAY, what="PRIVMARKER-act alone")
    team = membership.create(session, ben, name="Crawlers", description=None, is_public=True)
    membership.join(session, team.invite_code, mate, TODAY)
    weeks.schedule_week(session, team, ben, TODAY, TODAY)
    for person, name in ((ada, "ada-crawl"), (ben, "ben-crawl")):
        profiles.set_profile(session, person, True, name)
    session.commit()
    return {"ada": ada, "ben": ben, "mate": mate, "team": team}


def crawl(client, starts, limit=300):
    """Every same-site page reachable by links (GET only), with its body."""
    seen, queue, bodies = set(), deque(starts), {}
    site = urlsplit(client.application.config["BASE_URL"]).netloc  # link previews are absolute
    while queue and len(seen) < limit:
        url = queue.popleft()
        path = urlsplit(url).path + (("?" + urlsplit(url).query) if urlsplit(url).query else "")
        if path in seen or not path.startswith("/") or path.startswith("/static/"):
            continue
        if path.startswith(("/logout", "/language", "/settings/delete", "/admin")):
            continue
        seen.add(path)
        response = client.get(path)
        # Pictures in PNG are checked as bytes (their text is drawn, not written).
        binary = response.mimetype == "image/png"
        body = response.get_data().decode("latin-1") if binary else response.get_data(as_text=True)
        bodies[path] = body
        if response.mimetype in ("text/html", "image/svg+xml"):
            for link in LINK.findall(body):
                link = link.replace("&amp;", "&")
                target = urlsplit(urljoin("http://localhost" + path, link))
                if target.netloc in ("", "localhost", site):
                    queue.append(target.path + (("?" + target.query) if target.query else ""))
    return bodies


STARTS = ["/explore", "/u/ada-crawl", "/u/ben-crawl", "/teams/crawlers"]


def assert_clean(bodies, forbidden):
    assert len(bodies) > 8
    for path, body in bodies.items():
        for marker in forbidden:
            assert marker.lower() not in body.lower(), (marker, path)


def test_anonymous_viewer_finds_no_private_or_team_marker(app, world):
    bodies = crawl(app.test_client(), STARTS)
    assert any(path.endswith(".graphml") for path in bodies)
    assert any(path.endswith("/card.png") for path in bodies)
    assert_clean(bodies, (*PRIVATE_MARKERS, TEAM_MARKER))


def test_signed_in_stranger_finds_no_private_or_team_marker(session, world, log_in):
    client = log_in(make_user(session))
    assert_clean(crawl(client, STARTS), (*PRIVATE_MARKERS, TEAM_MARKER))


def test_team_co_member_sees_team_acts_but_no_private_marker(world, log_in):
    client = log_in(world["mate"])
    bodies = crawl(client, STARTS)
    assert_clean(bodies, PRIVATE_MARKERS)
    assert any(TEAM_MARKER in body for body in bodies.values())
