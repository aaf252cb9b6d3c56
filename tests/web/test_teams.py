"""Teams: joining, roles, the shared week, its figures, CSV, chains and access."""

import csv
import io
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, insert, select

from kindness.domain.chains.masking import Viewer
from kindness.domain.errors import InvalidInput, NotFound, RuleViolation
from kindness.domain.teams import chains, membership, weeks
from kindness.models import Membership, Team, TeamWeek, TeamWeekMember, User
from tests.clock import TODAY
from tests.factories import PASSWORD, claim, make_act, make_crew, make_tree, make_user

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def crew(app, session):
    """owner (with a client), an admin, a member, and a stranger, in a private team."""
    return make_crew(session)


def role_rows(session, team):
    session.expire_all()
    return dict(
        session.execute(
            select(Membership.user_id, Membership.role).where(Membership.team_id == team.id)
        ).all()
    )


def test_create_a_team_through_the_form(session, log_in):
    olga = make_user(session)
    client = log_in(olga)
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
def test_bad_team_names_change_nothing(session, crew, name, message, status, log_in):
    client = log_in(crew["stranger"])
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


def test_rotated_invite_link_stops_working_with_a_clear_message(session, crew, log_in):
    team = crew["team"]
    old = team.invite_code
    admin = log_in(crew["admin"])
    admin.post(f"/teams/{team.slug}/invite")
    session.expire_all()
    assert session.get(Team, team.id).invite_code != old
    stranger = log_in(crew["stranger"])
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
        membership.remove_member(session, team, admin, owner.id)
    with pytest.raises(RuleViolation, match="Hand ownership over"):
        membership.leave(session, team, owner)
    with pytest.raises(InvalidInput):
        membership.set_role(session, team, owner, member.id, "owner")
    membership.transfer_ownership(session, team, owner, member.id)
    assert role_rows(session, team)[member.id] == "owner"
    assert role_rows(session, team)[owner.id] == "admin"
    membership.leave(session, team, owner)
    membership.remove_member(session, team, member, admin.id)
    assert role_rows(session, team) == {member.id: "owner"}


def test_the_last_admin_cannot_demote_themselves(session):
    olga, adam = make_user(session), make_user(session)
    team = membership.create(session, olga, name="Two", description=None, is_public=False)
    membership.join(session, team.invite_code, adam, TODAY)
    membership.set_role(session, team, olga, adam.id, "admin")
    # The owner manages too, so adam is not the last manager: he may step down.
    membership.set_role(session, team, adam, adam.id, "member")
    assert role_rows(session, team)[adam.id] == "member"


def test_members_cannot_manage_and_strangers_do_not_see_a_private_team(app, session, crew, log_in):
    team = crew["team"]
    member = log_in(crew["member"])
    stranger = log_in(crew["stranger"])
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


MEMBER_OK = {"teams.page", "teams.week", "teams.team_chains", "teams.leave",
             "teams.choose_participation"}  # fmt: skip
ADMIN_OK = MEMBER_OK | {"teams.week_csv", "teams.schedule", "teams.rotate", "teams.set_role",
                        "teams.remove", "teams.confirm_cancel_week", "teams.cancel_week",
                        "teams.move_week"}  # fmt: skip
# The walk's week is running, which may not be moved: the admin reads why (409), not a 404.
REFUSED_NOT_HIDDEN = {"teams.move_week": 409}


def test_every_team_route_for_a_non_member_a_member_and_an_admin(app, session, crew, log_in):
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
            client = log_in(crew[who])
            data = {"user_id": str(target.id), "role": "admin", "shown": "1",
                    "starts_on": (TODAY + timedelta(days=20)).isoformat(),
                    "move-starts_on": (TODAY + timedelta(days=40)).isoformat()}  # fmt: skip
            status = client.open(path, method=method, data=data).status_code
            if endpoint in allowed:
                expected = (200, 302, REFUSED_NOT_HIDDEN.get(endpoint))
                assert status in expected, (who, method, path, status)
            else:
                assert status == 404, (who, method, path, status)
    session.expire_all()
    assert session.get(Team, team.id) is not None


def test_a_week_counts_every_act_but_shows_only_shared_ones(session, crew, log_in):
    team, owner, member = crew["team"], crew["owner"], crew["member"]
    weeks.schedule_week(session, team, owner, TODAY - timedelta(days=0), TODAY)
    session.commit()
    make_act(session, member, TODAY, what="PrivateMemberAct")
    make_act(session, member, TODAY, what="TeamMemberAct", visibility="team")
    make_act(session, owner, TODAY, what="PublicOwnerAct", visibility="public")
    make_act(session, crew["stranger"], TODAY, what="StrangerAct", visibility="public")
    page = log_in(crew["admin"]).get(f"/teams/{team.slug}").get_data(as_text=True)
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


def test_weeks_may_not_overlap(session, crew, log_in):
    team = crew["team"]
    client = log_in(crew["admin"])
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


def test_csv_stays_right_after_a_member_leaves_and_is_neutralised(session, crew, log_in):
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
    response = log_in(crew["admin"]).get(f"/teams/{team.slug}/weeks/{week.id}.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Day", "Acts", "Members who took part", "People helped"]
    # A row per day and one for the whole week: no row per person, so no name at all.
    assert [row[0] for row in rows[1:]] == [
        *(day.isoformat() for day in week_days_of(week)), "Whole week"
    ]  # fmt: skip
    assert rows[1] == [TODAY.isoformat(), "3", "2", "3"]
    assert rows[-1] == ["Whole week", "3", "2", "3"]
    assert "HYPERLINK" not in text and "Mia" not in text


# Signed in: the viewer, the team, the role, the week, the tally (per member and
# day, people helped, forwards), the feed's team mates and acts, the weeks, the
# members, whether the viewer is in the participation view, the inbox badge.
TEAM_PAGE_QUERY_BUDGET = 13


def test_team_page_queries_are_the_same_for_5_and_500_members(session, crew, count_queries, log_in):
    team, owner = crew["team"], crew["owner"]
    weeks.schedule_week(session, team, owner, TODAY, TODAY)
    session.commit()
    client = log_in(owner)

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
    assert few.count == many.count <= TEAM_PAGE_QUERY_BUDGET, many.statements
    # Everyone who acted is shown, not the first ten.
    assert page.get_data(as_text=True).count('<th scope="row">') == 497


def test_team_mates_read_team_acts_in_chains(session, crew, log_in):
    team, member, admin = crew["team"], crew["member"], crew["admin"]
    act = make_act(session, member, TODAY, what="TeamOnlyChainAct", visibility="team")
    mate = log_in(admin).get(f"/chains/{act.ref}.json").get_data(as_text=True)
    assert "TeamOnlyChainAct" in mate
    stranger = log_in(crew["stranger"]).get(f"/chains/{act.ref}.json")
    assert "TeamOnlyChainAct" not in stranger.get_data(as_text=True)
    assert team


def test_team_chains_highlight_the_team_and_where_it_left(session, crew, log_in):
    member, stranger = crew["member"], crew["stranger"]
    root = make_act(session, member, TODAY, what="Started in the team", visibility="public")
    claim(session, root, stranger)
    make_act(session, stranger, TODAY, what="Outside the team", visibility="public", parent=root)
    page = log_in(crew["admin"]).get(f"/teams/{crew['team'].slug}/chains")
    text = page.get_data(as_text=True)
    assert "is-team" in text
    assert "passed on beyond the team once" in text
    assert "left the team" not in text


def test_deleting_the_team_keeps_the_acts(session, crew, log_in):
    team = crew["team"]
    team_id = team.id
    act = make_act(session, crew["member"], TODAY)
    act_id = act.id
    owner = log_in(crew["owner"])
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


# -- who may do what: the domain checks the acting person's role ---------------


def team_state(session, team):
    session.expire_all()
    return (
        session.get(Team, team.id).invite_code,
        role_rows(session, team),
        session.scalar(select(func.count(TeamWeek.id)).where(TeamWeek.team_id == team.id)),
    )


def operations(session, team, actor, target_id, week_id):
    return {
        "rotate invite": lambda: membership.rotate_invite(session, team, actor),
        "schedule week": lambda: weeks.schedule_week(
            session, team, actor, TODAY + timedelta(days=10), TODAY
        ),
        "set role": lambda: membership.set_role(session, team, actor, target_id, "member"),
        "remove member": lambda: membership.remove_member(session, team, actor, target_id),
        "transfer": lambda: membership.transfer_ownership(session, team, actor, target_id),
        "delete team": lambda: membership.delete_team(session, team, actor),
        "week table": lambda: weeks.table(session, team, actor, week_id),
    }


@pytest.mark.parametrize(
    ("who", "refused"),
    [
        ("stranger", {"rotate invite", "schedule week", "set role", "remove member", "transfer",
                      "delete team", "week table"}),
        ("member", {"rotate invite", "schedule week", "set role", "remove member", "transfer",
                    "delete team", "week table"}),
        ("admin", {"transfer", "delete team"}),
    ],
)  # fmt: skip
def test_team_operations_check_the_actors_role_themselves(session, crew, who, refused):
    team = crew["team"]
    week = weeks.schedule_week(session, team, crew["owner"], TODAY, TODAY)
    session.commit()
    before = team_state(session, team)
    # The admin is the target of the member and the stranger; the admin acts on the member.
    target = crew["member"] if who == "admin" else crew["admin"]
    for name, operation in operations(session, team, crew[who], target.id, week.id).items():
        if name not in refused:
            continue
        with pytest.raises(NotFound), session.begin_nested():
            operation()
    assert team_state(session, team) == before


def test_an_admin_handing_ownership_over_is_refused_not_an_integrity_error(session, crew):
    team, admin, member = crew["team"], crew["admin"], crew["member"]
    before = role_rows(session, team)
    with pytest.raises(NotFound):
        membership.transfer_ownership(session, team, admin, member.id)
    assert role_rows(session, team) == before
    assert list(before.values()).count("owner") == 1


def test_the_owner_does_what_managers_and_owners_may(session, crew):
    team, owner = crew["team"], crew["owner"]
    old_code = team.invite_code
    membership.rotate_invite(session, team, owner)
    week = weeks.schedule_week(session, team, owner, TODAY, TODAY)
    table = weeks.table(session, team, owner, week.id)
    assert [figures.day for figures in table.days] == week_days_of(week)
    membership.set_role(session, team, owner, crew["member"].id, "admin")
    membership.remove_member(session, team, owner, crew["admin"].id)
    membership.transfer_ownership(session, team, owner, crew["member"].id)
    assert team.invite_code != old_code
    assert role_rows(session, team) == {crew["owner"].id: "admin", crew["member"].id: "owner"}
    membership.delete_team(session, team, crew["member"])
    assert session.get(Team, team.id) is None


def week_days_of(week):
    return [
        week.starts_on + timedelta(days=n) for n in range((week.ends_on - week.starts_on).days + 1)
    ]


def test_a_manager_choosing_someone_outside_the_team_gets_a_message(app, session, crew, log_in):
    team, stranger = crew["team"], crew["stranger"]
    before = role_rows(session, team)
    for who, path in [("admin", "members/role"), ("admin", "members/remove"),
                      ("owner", "transfer")]:  # fmt: skip
        client = log_in(crew[who])
        response = client.post(
            f"/teams/{team.slug}/{path}",
            data={"user_id": str(stranger.id), "role": "admin"},
            follow_redirects=True,
        )
        assert response.status_code == 200, path
        assert "Choose a member of the team." in response.get_data(as_text=True), path
    assert role_rows(session, team) == before


def test_a_team_week_starts_today_or_up_to_90_days_ahead(session, crew):
    team, owner = crew["team"], crew["owner"]
    with pytest.raises(InvalidInput, match="cannot start in the past"):
        weeks.schedule_week(session, team, owner, TODAY - timedelta(days=1), TODAY)
    with pytest.raises(InvalidInput, match="at most 90 days ahead"):
        weeks.schedule_week(session, team, owner, TODAY + timedelta(days=91), TODAY)
    week = weeks.schedule_week(session, team, owner, TODAY + timedelta(days=90), TODAY)
    assert week.ends_on == TODAY + timedelta(days=96)


# -- the week's figures --------------------------------------------------------


def test_everyone_who_acted_is_listed_by_name_never_by_activity(app, session, crew, log_in):
    team, owner = crew["team"], crew["owner"]
    week = weeks.schedule_week(session, team, owner, TODAY, TODAY)
    adele = make_user(session, display_name="adele")
    bea = make_user(session, display_name="Bea")
    for user in (adele, bea):
        membership.join(session, team.invite_code, user, TODAY)
    session.commit()
    for user, count in ((adele, 3), (bea, 1), (crew["member"], 2), (crew["admin"], 1)):
        for _ in range(count):
            make_act(session, user, TODAY, visibility="team")
    summary = weeks.summarise(session, week)
    # By name whatever the case, not "most first", and not upper case before lower.
    assert [person.name for person in summary.participants] == [
        "Adam", "adele", "Bea", "Mia"
    ]  # fmt: skip
    assert summary.acts == 7 and summary.members_who_acted == 4
    page = log_in(owner).get(f"/teams/{team.slug}").get_data(as_text=True)
    assert re.findall(r'<th scope="row">([^<]*)</th>', page) == ["Adam", "adele", "Bea", "Mia"]


def test_a_weeks_forwards_count_each_act_below_once(session, crew):
    team, owner, admin, member = crew["team"], crew["owner"], crew["admin"], crew["member"]
    week = weeks.schedule_week(session, team, owner, TODAY, TODAY)
    session.commit()
    first = make_act(session, admin, TODAY, visibility="team")
    claim(session, first, member)
    second = make_act(session, member, TODAY, visibility="team", parent=first)  # in the week too
    claim(session, second, crew["stranger"])
    make_act(session, crew["stranger"], TODAY, parent=second)
    summary = weeks.summarise(session, week)
    assert summary.acts == 2
    # The member's forward and the stranger's below it; the stranger's act is below
    # both week acts but grew once.
    assert summary.forwards == 2


@pytest.mark.parametrize("below, shown", [(4, "4"), (5, "5"), (6, "5+"), (60, "5+")])
def test_a_weeks_forwards_count_so_far_and_then_say_more(
    session, crew, count_queries, log_in, monkeypatch, below, shown
):
    monkeypatch.setattr(weeks, "FORWARDS_SHOWN", 5)
    team, owner = crew["team"], crew["owner"]
    week = weeks.schedule_week(session, team, owner, TODAY, TODAY)
    # A member's act of the week at the root of a tree with ``below`` acts under it.
    make_tree(session, crew["admin"], crew["stranger"], below + 1, visibility="team", day=TODAY)
    session.commit()
    client = log_in(owner)
    with count_queries() as counter:
        page = client.get(f"/teams/{team.slug}").get_data(as_text=True)
    assert f"<strong>{shown}</strong> acts grew from them" in page
    assert weeks.summarise(session, week).forwards == min(below, 6)
    # The same statements whatever the size of the chain below (the walk's LIMIT
    # is bound to FORWARDS_SHOWN + 1, not to the chain).
    assert counter.count <= TEAM_PAGE_QUERY_BUDGET
    grown = [statement for statement in counter.statements if "grown" in statement]
    assert len(grown) == 1 and "LIMIT" in grown[0].upper()


def test_people_helped_in_a_week_count_contacts_once_and_unnamed_acts_each(session, crew):
    from tests.factories import make_contact

    team, owner, member = crew["team"], crew["owner"], crew["member"]
    week = weeks.schedule_week(session, team, owner, TODAY, TODAY)
    grete = make_contact(session, member, "Grete")
    make_act(session, member, TODAY, contact=grete)
    make_act(session, member, TODAY, contact=grete)
    make_act(session, member, TODAY)
    make_act(session, owner, TODAY)
    assert weeks.summarise(session, week).people_helped == 3


# -- the team's chains ---------------------------------------------------------

# Signed in, loading the viewer, the team, the role, the team mates, the chains'
# counts, the page's chains, their structure, their acts, which acts are the
# team's, the inbox badge.
TEAM_CHAINS_QUERY_BUDGET = 10


def add_chains(session, crew, count, start=0):
    """``count`` chains: a member's public act, passed on by someone outside the team."""
    member, stranger = crew["member"], crew["stranger"]
    for number in range(start, start + count):
        root = make_act(session, member, TODAY, what=f"Chain {number}", visibility="public")
        claim(session, root, stranger)
        make_act(session, stranger, TODAY, what=f"Outside {number}", parent=root)


def test_team_chains_page_issues_a_fixed_number_of_queries_for_1_and_200_chains(
    app, session, crew, count_queries, log_in
):
    team = crew["team"]
    client = log_in(crew["admin"])
    add_chains(session, crew, 1)
    with count_queries() as one:
        page = client.get(f"/teams/{team.slug}/chains")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count("passed on beyond the team once") == 1
    add_chains(session, crew, 199, start=1)
    with count_queries() as many:
        page = client.get(f"/teams/{team.slug}/chains")
    text = page.get_data(as_text=True)
    assert text.count("passed on beyond the team once") == chains.PAGE_SIZE
    assert "Page 1 of 10" in text
    assert one.count == many.count <= TEAM_CHAINS_QUERY_BUDGET, many.statements


def test_team_chains_are_five_queries_for_1_or_20_chains(session, crew, count_queries):
    team, admin = crew["team"], crew["admin"]
    viewer = Viewer(user_id=admin.id, team_mates=membership.team_mates(session, admin.id))
    add_chains(session, crew, 1)
    with count_queries() as one:
        drawn = chains.team_chains(session, team, viewer).chains
    assert len(drawn) == 1
    add_chains(session, crew, 19, start=1)
    with count_queries() as twenty:
        drawn = chains.team_chains(session, team, viewer).chains
    assert len(drawn) == 20
    assert one.count == twenty.count == 5, twenty.statements
    for chain in drawn:
        root, outside = chain.view.nodes
        assert chain.team_refs == {root.ref} and chain.left_team == 1
        # The stranger's private forward is a placeholder: never highlighted, still counted.
        assert not outside.visible


def test_anonymous_visitors_see_only_team_chains_with_a_public_act(app, session, crew, log_in):
    team = crew["team"]
    team.is_public = True
    session.commit()
    make_act(session, crew["member"], TODAY, what="Kept among us", visibility="team")
    make_act(session, crew["member"], TODAY, what="Shown to all", visibility="public")
    anonymous = app.test_client().get(f"/teams/{team.slug}/chains").get_data(as_text=True)
    stranger = log_in(crew["stranger"]).get(f"/teams/{team.slug}/chains")
    mate = log_in(crew["admin"]).get(f"/teams/{team.slug}/chains")
    # Chains of one act are counted, not drawn one by one.
    assert "1 act not yet passed on" in anonymous and "Shown to all" not in anonymous
    assert "2 acts not yet passed on" in stranger.get_data(as_text=True)
    assert "2 acts not yet passed on" in mate.get_data(as_text=True)
    assert "Kept among us" not in stranger.get_data(as_text=True)


@pytest.mark.parametrize("value", ["²", "2147483648", "99999999999", "0"])
def test_a_member_action_on_an_id_that_is_no_id_is_a_404(session, crew, log_in, value):
    team = crew["team"]
    before = role_rows(session, team)
    client = log_in(crew["owner"])
    for path in ("members/role", "members/remove", "transfer"):
        response = client.post(
            f"/teams/{team.slug}/{path}", data={"user_id": value, "role": "admin"}
        )
        assert response.status_code == 404, path
    assert role_rows(session, team) == before


class MemberButtons(HTMLParser):
    """The members section as a browser sees it: the forms by id with their hidden
    fields, and each button that posts one of them (HTML's ``form`` attribute)."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict] = {}
        self.buttons: list[dict] = []
        self._form: str | None = None
        self._button: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").startswith("member-"):
            self._form = attrs["id"]
            self.forms[self._form] = {"action": attrs["action"], "fields": {}}
        elif tag == "input" and self._form:
            self.forms[self._form]["fields"][attrs["name"]] = attrs["value"]
        elif tag == "button" and "form" in attrs:
            self._button = {**attrs, "label": ""}
            self.buttons.append(self._button)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "button":
            self._button = None

    def handle_data(self, data):
        if self._button is not None:
            self._button["label"] += data

    def press(self, client, label: str, user_id: int):
        """Post what a browser posts for the button ``label`` in ``user_id``'s row."""
        (button,) = [b for b in self.buttons if (b["label"], b["value"]) == (label, str(user_id))]
        form = self.forms[button["form"]]
        return client.post(form["action"], data={**form["fields"], button["name"]: button["value"]})


def member_buttons(client, team) -> MemberButtons:
    parser = MemberButtons()
    parser.feed(client.get(f"/teams/{team.slug}").get_data(as_text=True))
    return parser


def test_member_actions_post_per_member_with_the_pages_one_csrf_token(app, session, crew, log_in):
    team, owner, admin, member = crew["team"], crew["owner"], crew["admin"], crew["member"]
    app.config["WTF_CSRF_ENABLED"] = True
    client = log_in(owner)
    page = member_buttons(client, team)
    # Four small forms with the same token, whatever the number of members.
    assert sorted(page.forms) == [
        "member-hand-over", "member-make-admin", "member-make-member", "member-remove",
    ]  # fmt: skip
    assert len({form["fields"]["csrf_token"] for form in page.forms.values()}) == 1
    # Each member but the owner has their own buttons, naming them.
    assert sorted((b["label"], b["value"]) for b in page.buttons) == sorted(
        [("Make member", str(admin.id)), ("Remove", str(admin.id)),
         ("Hand ownership over", str(admin.id)), ("Make admin", str(member.id)),
         ("Remove", str(member.id)), ("Hand ownership over", str(member.id))]
    )  # fmt: skip
    assert page.press(client, "Make admin", member.id).status_code == 302
    assert role_rows(session, team) == {owner.id: "owner", admin.id: "admin", member.id: "admin"}
    page = member_buttons(client, team)
    assert page.press(client, "Make member", admin.id).status_code == 302
    assert role_rows(session, team)[admin.id] == "member"
    assert member_buttons(client, team).press(client, "Remove", admin.id).status_code == 302
    assert admin.id not in role_rows(session, team)
    hand_over = member_buttons(client, team).press(client, "Hand ownership over", member.id)
    assert hand_over.status_code == 302
    assert role_rows(session, team) == {owner.id: "admin", member.id: "owner"}


def test_an_admin_sees_no_hand_over_and_a_member_no_member_actions(session, crew, log_in):
    team, admin = crew["team"], crew["admin"]
    as_admin = member_buttons(log_in(admin), team)
    assert sorted(as_admin.forms) == ["member-make-admin", "member-make-member", "member-remove"]
    # An admin may step down but not remove themselves; nobody touches the owner.
    assert sorted((b["label"], b["value"]) for b in as_admin.buttons) == sorted(
        [("Make member", str(admin.id)), ("Make admin", str(crew["member"].id)),
         ("Remove", str(crew["member"].id))]
    )  # fmt: skip
    as_member = member_buttons(log_in(crew["member"]), team)
    assert as_member.forms == {} and as_member.buttons == []
