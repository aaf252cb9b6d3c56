"""Teams: joining, roles, the shared week, its figures, CSV, chains and access."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select

from kindness.domain.errors import InvalidInput, RuleViolation
from kindness.domain.teams import membership, weeks
from kindness.models import Membership, Team, TeamWeek, TeamWeekMember, User
from tests.factories import PASSWORD, claim, make_act, make_user, signed_in

TODAY = date(2026, 11, 26)


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def crew(app, session):
    """owner (with a client), an admin, a member, and a stranger, in a private team."""
    owner = make_user(session, display_name="Olga")
    admin = make_user(session, display_name="Adam")
    member = make_user(session, display_name="Mia")
    stranger = make_user(session, display_name="Stan")
    team = membership.create(
        session, owner, name="Night Shift", description="Nurses", is_public=False
    )
    membership.join(session, team.invite_code, admin, TODAY)
    membership.join(session, team.invite_code, member, TODAY)
    membership.set_role(session, team, owner, admin.id, "admin")
    session.commit()
    return {"owner": owner, "admin": admin, "member": member, "stranger": stranger, "team": team}


def role_rows(session, team):
    session.expire_all()
    return dict(
        session.execute(
            select(Membership.user_id, Membership.role).where(Membership.team_id == team.id)
        ).all()
    )


def test_create_a_team_through_the_form(app, session):
    olga = make_user(session)
    client = signed_in(app, olga)
    response = client.post(
        "/teams", data={"name": "Café Crew", "description": "", "is_public": "y"}
    )
    assert response.headers["Location"] == "/teams/cafe-crew"
    team = session.scalars(select(Team)).one()
    assert (team.name, team.is_public) == ("Café Crew", True)
    assert role_rows(session, team) == {olga.id: "owner"}
    page = client.get("/teams/cafe-crew").get_data(as_text=True)
    assert "/teams/join/" + team.invite_code in page
    assert "Café Crew" in client.get("/teams").get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "message", "status"),
    [("", "This field is required", 422), ("   ", "This field is required", 422),
     ("night shift", "exists already", 409), ("x" * 81, "cannot be longer than 80", 422)],
)  # fmt: skip
def test_bad_team_names_change_nothing(app, session, crew, name, message, status):
    client = signed_in(app, crew["stranger"])
    response = client.post("/teams", data={"name": name})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert session.scalar(select(func.count(Team.id))) == 1


def test_slugs_are_unique_and_never_reserved(session):
    olga = make_user(session)
    first = membership.create(session, olga, name="Join", description=None, is_public=True)
    second = membership.create(session, olga, name="Join!", description=None, is_public=True)
    assert first.slug == "join-team" and second.slug == "join-team-2"


def test_join_through_the_invite_link_signing_up_on_the_way(app, session, crew):
    team = crew["team"]
    visitor = app.test_client()
    invite = visitor.get(f"/teams/join/{team.invite_code}")
    assert "Join Night Shift" in invite.get_data(as_text=True)
    visitor.post(
        "/signup",
        data={"email": "new@example.org", "password": PASSWORD, "display_name": "Newt",
              "time_zone": "Europe/Berlin", "locale": "en",
              "next": f"/teams/join/{team.invite_code}"},
    )  # fmt: skip
    response = visitor.post(f"/teams/join/{team.invite_code}")
    assert response.headers["Location"] == f"/teams/{team.slug}"
    newt = session.scalar(select(User).where(User.email == "new@example.org"))
    assert role_rows(session, team)[newt.id] == "member"


def test_rotated_invite_link_stops_working_with_a_clear_message(app, session, crew):
    team = crew["team"]
    old = team.invite_code
    admin = signed_in(app, crew["admin"])
    admin.post(f"/teams/{team.slug}/invite")
    session.expire_all()
    assert session.get(Team, team.id).invite_code != old
    stranger = signed_in(app, crew["stranger"])
    for method in ("get", "post"):
        response = getattr(stranger, method)(f"/teams/join/{old}")
        assert response.status_code == 404
        assert "no longer works" in response.get_data(as_text=True)
    assert crew["stranger"].id not in role_rows(session, team)


def test_roles_promote_demote_remove_transfer_leave(session, crew):
    team, owner, admin, member = crew["team"], crew["owner"], crew["admin"], crew["member"]
    membership.set_role(session, team, admin, member.id, "admin")
    assert role_rows(session, team)[member.id] == "admin"
    membership.set_role(session, team, admin, member.id, "member")
    with pytest.raises(RuleViolation, match="owner stays owner"):
        membership.set_role(session, team, admin, owner.id, "member")
    with pytest.raises(RuleViolation, match="cannot be removed"):
        membership.remove_member(session, team, owner.id)
    with pytest.raises(RuleViolation, match="Hand ownership over"):
        membership.leave(session, team, owner)
    with pytest.raises(InvalidInput):
        membership.set_role(session, team, owner, member.id, "owner")
    membership.transfer_ownership(session, team, owner, member.id)
    assert role_rows(session, team)[member.id] == "owner"
    assert role_rows(session, team)[owner.id] == "admin"
    membership.leave(session, team, owner)
    membership.remove_member(session, team, admin.id)
    assert role_rows(session, team) == {member.id: "owner"}


def test_the_last_admin_cannot_demote_themselves(session):
    olga, adam = make_user(session), make_user(session)
    team = membership.create(session, olga, name="Two", description=None, is_public=False)
    membership.join(session, team.invite_code, adam, TODAY)
    membership.set_role(session, team, olga, adam.id, "admin")
    # The owner manages too, so adam is not the last manager: he may step down.
    membership.set_role(session, team, adam, adam.id, "member")
    assert role_rows(session, team)[adam.id] == "member"


def test_members_cannot_manage_and_strangers_do_not_see_a_private_team(app, session, crew):
    team = crew["team"]
    member = signed_in(app, crew["member"])
    stranger = signed_in(app, crew["stranger"])
    anonymous = app.test_client()
    assert member.get(f"/teams/{team.slug}").status_code == 200
    for client in (stranger, anonymous):
        assert client.get(f"/teams/{team.slug}").status_code == 404
        assert client.get(f"/teams/{team.slug}/chains").status_code == 404
    before = role_rows(session, team)
    uid = str(crew["admin"].id)
    for path, data in [
        (f"/teams/{team.slug}/members/role", {"user_id": uid, "role": "member"}),
        (f"/teams/{team.slug}/members/remove", {"user_id": uid}),
        (f"/teams/{team.slug}/transfer", {"user_id": uid}),
        (f"/teams/{team.slug}/invite", {}),
        (f"/teams/{team.slug}/weeks", {"starts_on": TODAY.isoformat()}),
        (f"/teams/{team.slug}/delete", {}),
    ]:
        for client in (member, stranger):
            assert client.post(path, data=data).status_code == 404, path
    assert role_rows(session, team) == before
    assert session.scalar(select(func.count(TeamWeek.id))) == 0


def every_team_route(app, team, week_id, user_id):
    values = {"slug": team.slug, "week_id": week_id, "code": team.invite_code}
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("teams.") and "<slug>" in rule.rule:
            path = rule.rule
            for key, value in values.items():
                path = re.sub(rf"<(?:\w+:)?{key}>", str(value), path)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                routes.append((rule.endpoint, method, path))
    return routes


MEMBER_OK = {"teams.page", "teams.week", "teams.team_chains", "teams.leave"}
ADMIN_OK = MEMBER_OK | {"teams.week_csv", "teams.schedule", "teams.rotate", "teams.set_role",
                        "teams.remove"}  # fmt: skip


def test_every_team_route_for_a_non_member_a_member_and_an_admin(app, session, crew):
    team = crew["team"]
    week = weeks.schedule_week(session, team, crew["owner"], TODAY, TODAY)
    # The member the role and remove buttons act on (acting on a non-member is a 404).
    target = make_user(session)
    membership.join(session, team.invite_code, target, TODAY)
    session.commit()
    routes = every_team_route(app, team, week.id, crew["member"].id)
    assert len(routes) >= 12
    for who, allowed in (("stranger", set()), ("member", MEMBER_OK), ("admin", ADMIN_OK)):
        for endpoint, method, path in routes:
            client = signed_in(app, crew[who])
            data = {"user_id": str(target.id), "role": "admin",
                    "starts_on": (TODAY + timedelta(days=20)).isoformat()}  # fmt: skip
            status = client.open(path, method=method, data=data).status_code
            if endpoint in allowed:
                assert status in (200, 302), (who, method, path, status)
            else:
                assert status == 404, (who, method, path, status)
    session.expire_all()
    assert session.get(Team, team.id) is not None


def test_a_week_counts_every_act_but_shows_only_shared_ones(app, session, crew):
    team, owner, member = crew["team"], crew["owner"], crew["member"]
    weeks.schedule_week(session, team, owner, TODAY - timedelta(days=0), TODAY)
    session.commit()
    make_act(session, member, TODAY, what="PrivateMemberAct")
    make_act(session, member, TODAY, what="TeamMemberAct", visibility="team")
    make_act(session, owner, TODAY, what="PublicOwnerAct", visibility="public")
    make_act(session, crew["stranger"], TODAY, what="StrangerAct", visibility="public")
    page = signed_in(app, crew["admin"]).get(f"/teams/{team.slug}").get_data(as_text=True)
    assert "<strong>3</strong> acts" in page
    assert "<strong>2</strong> members who acted" in page
    assert "TeamMemberAct" in page and "PublicOwnerAct" in page
    assert "PrivateMemberAct" not in page and "StrangerAct" not in page
    assert 'class="day-chart' in page and 'data-acts="3"' in page
    assert "ranking" in page  # "a collective tally, not a ranking"


def test_joining_mid_week_takes_part(session, crew):
    team, owner = crew["team"], crew["owner"]
    week = weeks.schedule_week(session, team, owner, TODAY, TODAY)
    late = make_user(session, display_name="Late")
    membership.join(session, team.invite_code, late, TODAY + timedelta(days=3))
    make_act(session, late, TODAY, visibility="team")
    assert weeks.summarise(session, week).members_who_acted == 1
    participants = set(
        session.scalars(select(TeamWeekMember.user_id).where(TeamWeekMember.week_id == week.id))
    )
    assert late.id in participants


def test_weeks_may_not_overlap(app, session, crew):
    team = crew["team"]
    client = signed_in(app, crew["admin"])
    assert (
        client.post(f"/teams/{team.slug}/weeks", data={"starts_on": TODAY.isoformat()}).status_code
        == 302
    )
    response = client.post(
        f"/teams/{team.slug}/weeks", data={"starts_on": (TODAY + timedelta(days=6)).isoformat()}
    )
    assert "overlaps another week" in response.get_data(as_text=True)
    for bad in ("yesterday", (TODAY - timedelta(days=1)).isoformat()):
        response = client.post(f"/teams/{team.slug}/weeks", data={"starts_on": bad})
        assert response.status_code == 422
    assert session.scalar(select(func.count(TeamWeek.id))) == 1


def test_csv_stays_right_after_a_member_leaves_and_is_neutralised(app, session, crew):
    team, owner = crew["team"], crew["owner"]
    sneaky = make_user(session, display_name='=HYPERLINK("http://x")')
    membership.join(session, team.invite_code, sneaky, TODAY)
    week = weeks.schedule_week(session, team, owner, TODAY, TODAY)
    session.commit()
    make_act(session, crew["member"], TODAY)
    make_act(session, crew["member"], TODAY)
    make_act(session, sneaky, TODAY)
    membership.leave(session, team, crew["member"])
    session.commit()
    response = signed_in(app, crew["admin"]).get(f"/teams/{team.slug}/weeks/{week.id}.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "Member" and rows[0][-1] == "Total" and len(rows[0]) == 9
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Mia"][1] == "2" and by_name["Mia"][-1] == "2"
    assert '\'=HYPERLINK("http://x")' in by_name
    assert by_name["Olga"][-1] == "0"


def test_team_page_queries_are_the_same_for_5_and_500_members(app, session, crew, count_queries):
    team, owner = crew["team"], crew["owner"]
    weeks.schedule_week(session, team, owner, TODAY, TODAY)
    session.commit()
    client = signed_in(app, owner)

    def add_members(count):
        made = [make_user(session) for _ in range(count)]
        for user in made:
            membership.join(session, team.invite_code, user, TODAY)
            make_act(session, user, TODAY, visibility="team")
        session.commit()

    add_members(2)  # 5 members with the crew's three
    with count_queries() as few:
        page = client.get(f"/teams/{team.slug}")
    assert page.status_code == 200
    add_members(495)  # 500 members
    with count_queries() as many:
        page = client.get(f"/teams/{team.slug}")
    assert few.count == many.count
    # Everyone who acted is shown, not the first ten.
    assert page.get_data(as_text=True).count('<th scope="row">') == 497


def test_team_mates_read_team_acts_in_chains(app, session, crew):
    team, member, admin = crew["team"], crew["member"], crew["admin"]
    act = make_act(session, member, TODAY, what="TeamOnlyChainAct", visibility="team")
    mate = signed_in(app, admin).get(f"/chains/{act.ref}.json").get_data(as_text=True)
    assert "TeamOnlyChainAct" in mate
    stranger = signed_in(app, crew["stranger"]).get(f"/chains/{act.ref}.json")
    assert "TeamOnlyChainAct" not in stranger.get_data(as_text=True)
    assert team


def test_team_chains_highlight_the_team_and_where_it_left(app, session, crew):
    member, stranger = crew["member"], crew["stranger"]
    root = make_act(session, member, TODAY, what="Started in the team", visibility="public")
    claim(session, root, stranger)
    make_act(session, stranger, TODAY, what="Outside the team", visibility="public", parent=root)
    page = signed_in(app, crew["admin"]).get(f"/teams/{crew['team'].slug}/chains")
    text = page.get_data(as_text=True)
    assert "is-team" in text
    assert "the goodwill left the team 1 time" in text


def test_deleting_the_team_keeps_the_acts(app, session, crew):
    team = crew["team"]
    team_id = team.id
    act = make_act(session, crew["member"], TODAY)
    act_id = act.id
    owner = signed_in(app, crew["owner"])
    assert "Delete Night Shift?" in owner.get(f"/teams/{team.slug}/delete").get_data(as_text=True)
    owner.post(f"/teams/{team.slug}/delete")
    session.expire_all()
    assert session.get(Team, team_id) is None
    assert session.get(type(act), act_id) is not None


def test_only_one_owner_per_team_in_the_database(session, crew):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(
            insert(Membership).values(
                team_id=crew["team"].id, user_id=crew["stranger"].id, role="owner"
            )
        )


def test_deleting_an_owner_account_hands_the_team_over(app, session, crew):
    from kindness.domain import accounts
    from tests.factories import _cheap

    team = crew["team"]
    accounts.delete_account(session, _cheap, crew["owner"], PASSWORD)
    session.commit()
    assert role_rows(session, team)[crew["admin"].id] == "owner"
