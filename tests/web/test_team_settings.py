"""Running a team: its settings (name, description, visibility, time zone, a
slug that stays), its invite link as a QR code and a page to print, and the
week form's default date. Owners and admins only; everyone else gets a 404."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from kindness.domain import conflicts
from kindness.domain.dates import coming_monday
from kindness.domain.errors import NotFound
from kindness.domain.teams import membership, weeks
from kindness.models import Team
from tests.clock import TODAY
from tests.factories import make_crew
from tests.qr import read_qr

pytestmark = pytest.mark.usefixtures("clock")

GOOD = {"name": "Early Birds", "description": "Bakers at dawn", "is_public": "y",
        "time_zone": "America/New_York"}  # fmt: skip


@pytest.fixture
def crew(app, session):
    """An owner, an admin, a member and a stranger; a private team in Berlin."""
    return make_crew(session)


def state(session, team_id):
    session.expire_all()
    team = session.get(Team, team_id)
    return (team.slug, team.name, team.name_key, team.description, team.is_public, team.time_zone)


def field_errors(response, field: str) -> list[str]:
    block = re.search(rf'<ul class="errors" id="{field}-errors">(.*?)</ul>', response.text, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


# -- settings ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_owner_and_admin_change_the_settings_and_the_slug_stays(session, crew, log_in, who):
    team = crew["team"]
    client = log_in(crew[who])
    form = client.get(f"/teams/{team.slug}/settings")
    assert form.status_code == 200
    assert 'value="Night Shift"' in form.text and "Nurses</textarea>" in form.text
    assert '<option selected value="Europe/Berlin">' in form.text
    response = client.post(f"/teams/{team.slug}/settings", data=GOOD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/teams/night-shift"
    assert state(session, team.id) == (
        "night-shift", "Early Birds", "early birds", "Bakers at dawn", True, "America/New_York"
    )  # fmt: skip
    page = client.get("/teams/night-shift")  # the old link keeps working
    assert page.status_code == 200
    assert "<h1>Early Birds</h1>" in page.text and "settings are saved" in page.text
    # Now public: a stranger may see the page at the same address.
    assert log_in(crew["stranger"]).get("/teams/night-shift").status_code == 200


def test_the_managers_page_links_to_the_settings_and_members_see_no_link(crew, log_in):
    team = crew["team"]
    owner_page = log_in(crew["owner"]).get(f"/teams/{team.slug}").text
    assert f'href="/teams/{team.slug}/settings"' in owner_page
    member_page = log_in(crew["member"]).get(f"/teams/{team.slug}").text
    assert f"/teams/{team.slug}/settings" not in member_page and "invite.svg" not in member_page


MANAGER_ONLY = ["/settings", "/invite.svg", "/invite/print"]


@pytest.mark.parametrize("who", ["member", "stranger"])
def test_members_and_strangers_get_a_404_and_change_nothing(app, session, crew, log_in, who):
    team = crew["team"]
    before = state(session, team.id)
    client = log_in(crew[who])
    for tail in MANAGER_ONLY:
        assert client.get(f"/teams/{team.slug}{tail}").status_code == 404, tail
    response = client.post(f"/teams/{team.slug}/settings", data=GOOD)
    assert response.status_code == 404
    assert "Night Shift" not in response.text and team.invite_code not in response.text
    assert state(session, team.id) == before


def test_a_public_team_is_no_open_door_to_its_management(app, session, crew, log_in):
    team = crew["team"]
    team.is_public = True
    session.commit()
    stranger = log_in(crew["stranger"])
    assert stranger.get(f"/teams/{team.slug}").status_code == 200
    for tail in MANAGER_ONLY:
        assert stranger.get(f"/teams/{team.slug}{tail}").status_code == 404, tail
    assert stranger.post(f"/teams/{team.slug}/settings", data=GOOD).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(app, session, crew):
    team = crew["team"]
    before = state(session, team.id)
    anonymous = app.test_client()
    for tail in MANAGER_ONLY:
        response = anonymous.get(f"/teams/{team.slug}{tail}")
        assert response.status_code == 302 and "/login" in response.headers["Location"], tail
    assert anonymous.post(f"/teams/{team.slug}/settings", data=GOOD).status_code == 302
    assert state(session, team.id) == before


def test_an_unknown_team_is_a_404(crew, log_in):
    client = log_in(crew["owner"])
    for slug in ("no-such-team", "x" * 200):
        for tail in MANAGER_ONLY:
            assert client.get(f"/teams/{slug}{tail}").status_code == 404, (slug, tail)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [({"name": ""}, "name", "This field is required"),
     ({"name": "   "}, "name", "This field is required"),
     ({"name": "x" * 81}, "name", "cannot be longer than 80"),
     ({"description": "y" * 1001}, "description", "cannot be longer than 1000"),
     ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Not a valid choice"),
     ({"time_zone": ""}, "time_zone", "Not a valid choice")],
)  # fmt: skip
def test_bad_input_is_a_422_under_its_field_and_changes_nothing(
    session, crew, log_in, change, field, message
):
    team = crew["team"]
    before = state(session, team.id)
    response = log_in(crew["owner"]).post(f"/teams/{team.slug}/settings", data=GOOD | change)
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, field))
    assert state(session, team.id) == before


def test_a_name_another_team_has_is_refused_in_any_case(session, crew, log_in):
    team = crew["team"]
    membership.create(session, crew["stranger"], name="Day Shift", description=None, is_public=True)
    session.commit()
    before = state(session, team.id)
    response = log_in(crew["owner"]).post(
        f"/teams/{team.slug}/settings", data=GOOD | {"name": "DAY shift"}
    )
    assert response.status_code == 409
    assert field_errors(response, "name") == ["A team with this name exists already."]
    assert state(session, team.id) == before


def test_the_team_may_change_the_case_of_its_own_name(session, crew, log_in):
    team = crew["team"]
    response = log_in(crew["owner"]).post(
        f"/teams/{team.slug}/settings", data=GOOD | {"name": "NIGHT  shift "}
    )
    assert response.status_code == 302
    assert state(session, team.id)[:3] == ("night-shift", "NIGHT shift", "night shift")


def test_a_name_taken_at_the_same_moment_is_a_message_not_a_500(session, crew, log_in, monkeypatch):
    """Another team takes the name between the check and the update: the unique
    key refuses it, and the boundary says so under the field (409)."""
    team = crew["team"]
    before = state(session, team.id)
    client, slug = log_in(crew["owner"]), team.slug
    # The harness makes each commit a savepoint: end the test's own reads first, so
    # that the rival's commit releases a savepoint begun inside the request's.
    session.commit()
    real = membership._ensure_name_free
    hit = []

    def check_then_rival(db_session, name_key):
        real(db_session, name_key)
        session.add(Team(slug="rival", name="Early Birds", name_key=name_key, invite_code="rival"))
        session.commit()

    real_conflict = conflicts.conflict_for

    def spy(error):
        hit.append(error.orig.__class__.__name__)
        return real_conflict(error)

    monkeypatch.setattr(membership, "_ensure_name_free", check_then_rival)
    monkeypatch.setattr(conflicts, "conflict_for", spy)
    response = client.post(f"/teams/{slug}/settings", data=GOOD)
    assert response.status_code == 409
    assert field_errors(response, "name") == ["Someone has just taken this team name."]
    assert hit  # the database refused it, not the check
    assert state(session, team.id) == before


def test_the_domain_checks_the_role_itself(session, crew):
    for who in ("member", "stranger"):
        with pytest.raises(NotFound):
            membership.update_settings(
                session, crew["team"], crew[who], name="Mine now", description=None,
                is_public=True, time_zone="UTC",
            )  # fmt: skip


# -- the invite link as a QR code ------------------------------------------


def test_the_invite_svg_is_the_invite_link_for_managers_only(app, session, crew, log_in):
    team = crew["team"]
    invite = f"{app.config['BASE_URL']}/teams/join/{team.invite_code}"
    for who in ("owner", "admin"):
        response = log_in(crew[who]).get(f"/teams/{team.slug}/invite.svg")
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "<title>Join Night Shift</title>" in response.text
        assert read_qr(response.text) == [invite]


def test_a_new_invite_link_gets_a_new_qr_code(session, crew, log_in):
    team = crew["team"]
    client = log_in(crew["admin"])
    before = read_qr(client.get(f"/teams/{team.slug}/invite.svg").text)
    client.post(f"/teams/{team.slug}/invite")
    after = read_qr(client.get(f"/teams/{team.slug}/invite.svg").text)
    session.expire_all()
    assert before != after
    assert after[0].endswith("/teams/join/" + session.get(Team, team.id).invite_code)


def test_the_printable_invite_shows_name_code_and_link(app, crew, log_in):
    team = crew["team"]
    response = log_in(crew["owner"]).get(f"/teams/{team.slug}/invite/print")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    page = response.text
    invite = f"{app.config['BASE_URL']}/teams/join/{team.invite_code}"
    assert "<h1>Night Shift</h1>" in page and "Scan to join" in page
    assert f'<a class="pass-url" href="{invite}">{invite}</a>' in page
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert read_qr(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)) == [invite]
    assert "<script>" not in page and "style=" not in page


def test_the_manage_section_offers_copy_print_and_the_code(crew, log_in):
    team = crew["team"]
    page = log_in(crew["admin"]).get(f"/teams/{team.slug}").text
    assert 'id="invite-link"' in page and 'data-copy="invite-link"' in page
    assert 'data-copied="Copied"' in page and 'role="status"' in page
    assert f'src="/teams/{team.slug}/invite.svg"' in page
    assert f'href="/teams/{team.slug}/invite/print"' in page
    assert "/static/js/share.js" in page


# -- the week form's default date -------------------------------------------


def week_default(client, team) -> str:
    page = client.get(f"/teams/{team.slug}").text
    return re.search(r'<input[^>]*id="starts_on"[^>]*value="([^"]*)"', page).group(1)


def test_the_week_form_offers_the_coming_monday(crew, log_in):
    # Thursday 26 November 2026 in Berlin: the Monday after.
    assert week_default(log_in(crew["owner"]), crew["team"]) == "2026-11-30"


def test_the_week_form_offers_the_first_monday_no_week_takes(session, crew, log_in):
    team, owner = crew["team"], crew["owner"]
    client = log_in(owner)
    for start in ("2026-11-30", "2026-12-07"):
        assert (
            client.post(f"/teams/{team.slug}/weeks", data={"starts_on": start}).status_code == 302
        )
        assert week_default(client, team) == str(date.fromisoformat(start) + timedelta(days=7))
    # A cancelled week frees its Monday again.
    first = weeks.current_week(session, team, TODAY)
    assert client.post(f"/teams/{team.slug}/weeks/{first.id}/cancel").status_code == 302
    assert week_default(client, team) == "2026-11-30"


def test_the_coming_monday_is_today_on_a_monday():
    assert coming_monday(datetime(2026, 11, 30).date()).isoformat() == "2026-11-30"
    assert coming_monday(datetime(2026, 12, 1).date()).isoformat() == "2026-12-07"
    assert coming_monday(datetime(2026, 12, 6).date()).isoformat() == "2026-12-07"


def test_the_default_monday_is_the_teams_in_its_own_time_zone(session, crew, log_in, clock):
    """Late on Monday in New York it is Tuesday in Berlin: a team in New York is
    offered that Monday (today there), the same team in Berlin the next one."""
    team = crew["team"]
    clock.move_to(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    client = log_in(crew["owner"])
    assert week_default(client, team) == "2026-12-07"
    client.post(f"/teams/{team.slug}/settings", data=GOOD | {"is_public": ""})
    assert state(session, team.id)[-1] == "America/New_York"
    assert week_default(client, team) == "2026-11-30"


def test_settings_do_not_touch_other_teams(session, crew, log_in):
    other = membership.create(
        session, crew["owner"], name="Choir", description="Sing", is_public=True
    )
    session.commit()
    log_in(crew["owner"]).post(f"/teams/{crew['team'].slug}/settings", data=GOOD)
    session.expire_all()
    names = set(session.scalars(select(Team.name)))
    assert names == {"Early Birds", "Choir"}
    assert session.get(Team, other.id).time_zone == "Europe/Berlin"


# -- the members list and the Manage section's words --------------------------


def test_each_members_actions_stay_in_one_group_so_the_rows_line_up(session, crew, log_in):
    """Role, removal and handing ownership over sit in one group at the row's end:
    as three loose pieces, the middle one drifted with the length of each name."""
    team = crew["team"]
    page = log_in(crew["owner"]).get(f"/teams/{team.slug}").text
    rows = re.findall(
        r"<li>(.*?)</li>", page.split('class="member-list"')[1].split("</ul>")[0], re.S
    )
    others = [row for row in rows if "Olga" not in row]
    assert len(others) == 2  # Adam the admin, Mia the member
    for row in others:
        groups = re.findall(r'<span class="member-actions">(.*?)</span>\s*$', row, re.S)
        assert len(groups) == 1, row
        # The buttons post the page-wide forms of the member actions.
        assert re.search(r'form="member-make-(admin|member)"', groups[0])
        assert 'form="member-remove"' in groups[0] and 'form="member-hand-over"' in groups[0]
        assert "<button" not in row.replace(groups[0], "")


def test_the_invite_text_speaks_to_the_organiser_as_du(session, crew, log_in):
    """German: the person sharing the link is "du"; "ihr" is for the team as a group."""
    crew["owner"].locale = "de"
    session.commit()
    page = log_in(crew["owner"]).get(f"/teams/{crew['team'].slug}").text
    assert "Teile ihn mit den Menschen, die du einladen möchtest." in page
    assert "ihr einladen wollt" not in page
