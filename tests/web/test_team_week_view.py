"""The team week as its members see it: the same numbers in the tally, the chart,
the participation view and the CSV across time zones; participation without
ranking; what members shared; the team's chains; the team's German."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from kindness.domain.dates import today_for
from kindness.domain.teams import membership, weeks
from kindness.models import Membership
from tests.clock import TODAY
from tests.factories import claim, make_act, make_user
from tests.render.helpers import NS, classes, parse, with_class

MONDAY = TODAY + timedelta(days=4)  # Monday 30 November 2026
assert MONDAY.weekday() == 0


@pytest.fixture
def world(app, session, clock):
    """A Berlin team (its owner's zone) with members in Berlin, New York and Tokyo,
    and a week from Monday scheduled on Thursday."""
    olga = make_user(session, display_name="Olga", time_zone="Europe/Berlin")
    bea = make_user(session, display_name="Bea", time_zone="Europe/Berlin")
    nia = make_user(session, display_name="Nia", time_zone="America/New_York")
    taro = make_user(session, display_name="Taro", time_zone="Asia/Tokyo")
    team = membership.create(session, olga, name="Three Zones", description=None, is_public=False)
    for person in (bea, nia, taro):
        membership.join(session, team.invite_code, person, TODAY)
    week = weeks.schedule_week(session, team, olga, MONDAY, TODAY)
    session.commit()
    return {"olga": olga, "bea": bea, "nia": nia, "taro": taro, "team": team, "week": week}


def log_today(session, person, count=1):
    """``count`` acts by ``person`` on their own today (their local date), as the
    act form does."""
    day = today_for(person)
    for number in range(count):
        make_act(session, person, day, what=f"{person.display_name} {number}", today=day)
    session.commit()
    return day


# -- reading the numbers back from each place ---------------------------------


def tally(page: str) -> tuple[int, int]:
    acts = int(re.search(r"<strong>(\d+)</strong> acts?\b", page).group(1))
    members = int(re.search(r"<strong>(\d+)</strong> members? who acted", page).group(1))
    return acts, members


def chart(page: str) -> dict:
    """What the chart draws: per day the acts and members its bars stand for (a day
    drawn as an empty place to come counts as nothing), the numbers in its titles,
    and which day it marks as today."""
    svg = re.search(r'<svg[^>]*class="day-chart".*?</svg>', page, re.S).group(0)
    root = parse(svg)
    drawn, titled, today = {}, {}, None
    for group in with_class(root, "g", "chart-day"):
        day = date.fromisoformat(group.get("data-date"))
        acts_bars = with_class(group, "rect", "chart-bar-acts")
        has_bar = bool(acts_bars) and float(acts_bars[0].get("height")) > 0
        drawn[day] = (
            (int(group.get("data-acts")), int(group.get("data-members"))) if has_bar else (0, 0)
        )
        title = group.find(f"{NS}title").text
        numbers = re.search(r"(\d+) acts?, (\d+) members? active", title)
        titled[day] = (int(numbers.group(1)), int(numbers.group(2)))
        if "is-today" in classes(group):
            today = day
    return {"drawn": drawn, "titled": titled, "today": today}


def participation(page: str) -> dict[str, set[date]]:
    """The participation view: each name shown with the days it has a mark on."""
    section = re.search(r'<section class="card" id="participation".*?</section>', page, re.S)
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', section.group(0), re.S)
    return {
        name: {date.fromisoformat(day) for day in re.findall(r'data-date="([\d-]+)"', cells)}
        for name, cells in rows
    }


def csv_rows(client, team, week) -> list[list[str]]:
    response = client.get(f"/teams/{team.slug}/weeks/{week.id}.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def per_day(mapping: dict[date, tuple[int, int]]) -> dict[date, tuple[int, int]]:
    return {day: value for day, value in mapping.items() if value != (0, 0)}


def assert_same_numbers_everywhere(world, log_in, acts, members, days, today):
    """Every member, in every zone, reads ``acts`` acts by ``members`` members,
    ``days`` as (acts, members) per day, and the team's ``today``; the CSV too."""
    team, week = world["team"], world["week"]
    for who in ("olga", "nia", "taro"):
        page = log_in(world[who]).get(f"/teams/{team.slug}").get_data(as_text=True)
        assert tally(page) == (acts, members), who
        drawn = chart(page)
        assert per_day(drawn["drawn"]) == days, who
        assert per_day(drawn["titled"]) == days, who
        assert drawn["today"] == today, who
        assert sum(value[0] for value in drawn["drawn"].values()) == acts
        if members >= weeks.MIN_SHOWN:
            marks = participation(page)
            assert len(marks) == members
            by_day: dict[date, int] = {}
            for shown_days in marks.values():
                for day in shown_days:
                    by_day[day] = by_day.get(day, 0) + 1
            assert by_day == {day: value[1] for day, value in days.items()}, who
    rows = csv_rows(log_in(world["olga"]), team, week)
    from_csv = {
        date.fromisoformat(row[0]): (int(row[1]), int(row[2]))
        for row in rows[1:-1]
        if (row[1], row[2]) != ("0", "0")
    }
    assert from_csv == days
    assert rows[-1][:3] == ["Whole week", str(acts), str(members)]


def test_three_acts_just_after_midnight_in_berlin_are_drawn_for_new_york(
    session, world, clock, log_in
):
    # 00:30 on Monday in Berlin is still Sunday evening in New York: the week has
    # begun for the team, so its chart draws Monday's acts for everyone.
    clock.move_to(datetime(2026, 11, 29, 23, 30, tzinfo=UTC))
    assert today_for(world["nia"]) == MONDAY - timedelta(days=1)
    assert log_today(session, world["bea"], 3) == MONDAY
    page = log_in(world["nia"]).get(f"/teams/{world['team'].slug}").get_data(as_text=True)
    assert tally(page) == (3, 1)
    drawn = chart(page)
    assert drawn["drawn"][MONDAY] == (3, 1)
    assert drawn["today"] == MONDAY
    assert_same_numbers_everywhere(world, log_in, 3, 1, {MONDAY: (3, 1)}, MONDAY)


def test_tally_chart_participation_and_csv_agree_across_three_zones(session, world, clock, log_in):
    bea, nia, taro = world["bea"], world["nia"], world["taro"]
    tuesday, sunday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=6)
    # Sunday 23:30 UTC: Monday in Berlin and Tokyo, Sunday still in New York.
    clock.move_to(datetime(2026, 11, 29, 23, 30, tzinfo=UTC))
    log_today(session, bea, 3)
    # Monday 16:30 UTC: Monday in Berlin and New York, already Tuesday in Tokyo.
    clock.move_to(datetime(2026, 11, 30, 16, 30, tzinfo=UTC))
    log_today(session, nia, 2)
    assert log_today(session, taro) == tuesday
    # Tuesday in Tokyo is still to come for the team, but its act counts and shows.
    assert_same_numbers_everywhere(world, log_in, 6, 3, {MONDAY: (5, 2), tuesday: (1, 1)}, MONDAY)
    # The week's last evening in Berlin: Monday 7 December in Tokyo (outside the
    # week, not counted), Sunday afternoon in New York (counted).
    clock.move_to(datetime(2026, 12, 6, 22, 30, tzinfo=UTC))
    assert log_today(session, taro) == sunday + timedelta(days=1)
    assert log_today(session, nia) == sunday
    assert_same_numbers_everywhere(
        world, log_in, 7, 3, {MONDAY: (5, 2), tuesday: (1, 1), sunday: (1, 1)}, sunday
    )
    page = log_in(world["olga"]).get(f"/teams/{world['team'].slug}").get_data(as_text=True)
    assert participation(page) == {
        "Bea": {MONDAY},
        "Nia": {MONDAY, sunday},
        "Taro": {tuesday},
    }


# -- participation, not ranking ------------------------------------------------


def acting_team(session, world, clock):
    """Monday noon in Berlin; Bea logs three acts, Nia one, Taro two."""
    clock.move_to(datetime(2026, 11, 30, 11, 0, tzinfo=UTC))
    for person, count in ((world["bea"], 3), (world["nia"], 1), (world["taro"], 2)):
        make_act(session, person, MONDAY, visibility="team", today=MONDAY)
        for _ in range(count - 1):
            make_act(session, person, MONDAY, today=MONDAY)
    session.commit()


def test_participation_shows_marks_by_name_never_counts(session, world, clock, log_in):
    acting_team(session, world, clock)
    page = log_in(world["nia"]).get(f"/teams/{world['team'].slug}").get_data(as_text=True)
    assert participation(page) == {"Bea": {MONDAY}, "Nia": {MONDAY}, "Taro": {MONDAY}}
    section = re.search(r'id="participation".*?</section>', page, re.S).group(0)
    assert re.findall(r'<th scope="row">([^<]*)</th>', section) == ["Bea", "Nia", "Taro"]
    # One mark a day, whatever the number of acts: no count in any cell, no total.
    cells = re.findall(r"<td>(.*?)</td>", section, re.S)
    assert not any(re.search(r">\s*\d+\s*<|^\s*\d+\s*$", cell) for cell in cells)
    assert section.count("✓") == 3
    assert "Total" not in section
    assert "Everyone who acted" not in page


def test_a_member_can_stay_out_and_still_counts(app, session, world, clock, log_in):
    acting_team(session, world, clock)
    team = world["team"]
    olga = log_in(world["olga"])
    # Olga has no act yet: four members, three would be shown.
    make_act(session, world["olga"], MONDAY, visibility="team", today=MONDAY)
    session.commit()
    taro = log_in(world["taro"])
    page = taro.get(f"/teams/{team.slug}").get_data(as_text=True)
    assert "Leave me out of this view" in page
    response = taro.post(f"/teams/{team.slug}/participation", data={"shown": "0"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/teams/{team.slug}#participation")
    page = olga.get(f"/teams/{team.slug}").get_data(as_text=True)
    assert set(participation(page)) == {"Bea", "Nia", "Olga"}
    assert tally(page) == (7, 4)  # Taro still counts in the tally
    assert chart(page)["drawn"][MONDAY] == (7, 4)
    mine = taro.get(f"/teams/{team.slug}").get_data(as_text=True)
    assert "You chose to stay out of this view" in mine and "Show me in this view" in mine
    # One more out: fewer than three would be shown, so the view hides itself.
    log_in(world["nia"]).post(f"/teams/{team.slug}/participation", data={"shown": "0"})
    page = olga.get(f"/teams/{team.slug}").get_data(as_text=True)
    section = re.search(r'id="participation".*?</section>', page, re.S).group(0)
    assert "Fewer than 3 members would be shown here" in section
    assert participation(page) == {} and "Bea" not in section and "✓" not in section
    assert tally(page) == (7, 4)
    # And back in.
    taro.post(f"/teams/{team.slug}/participation", data={"shown": "1"})
    page = olga.get(f"/teams/{team.slug}").get_data(as_text=True)
    assert set(participation(page)) == {"Bea", "Olga", "Taro"}


def test_the_choice_is_each_members_own_and_bad_input_changes_nothing(app, session, world, log_in):
    team = world["team"]
    outsider = make_user(session)

    def choices():
        session.expire_all()
        return dict(
            session.execute(
                select(Membership.user_id, Membership.in_participation).where(
                    Membership.team_id == team.id
                )
            ).all()
        )

    before = choices()
    assert all(before.values())
    path = f"/teams/{team.slug}/participation"
    assert log_in(outsider).post(path, data={"shown": "0"}).status_code == 404
    anonymous = app.test_client().post(path, data={"shown": "0"})
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    member = log_in(world["bea"])
    for bad in ({}, {"shown": "no"}, {"shown": "2"}, {"shown": ""}):
        assert member.post(path, data=bad).status_code == 400, bad
    assert choices() == before
    # A user id in the form does not choose for someone else.
    member.post(path, data={"shown": "0", "user_id": str(world["nia"].id)})
    assert choices() == {**before, world["bea"].id: False}
    assert member.get(f"/teams/{team.slug}/participation").status_code == 405


def test_a_small_team_never_shows_the_per_person_view(session, log_in, clock):
    olga, mia = make_user(session, display_name="Olga"), make_user(session, display_name="Mia")
    team = membership.create(session, olga, name="Two", description=None, is_public=False)
    membership.join(session, team.invite_code, mia, TODAY)
    weeks.schedule_week(session, team, olga, TODAY, TODAY)
    make_act(session, olga, TODAY)
    make_act(session, mia, TODAY)
    session.commit()
    page = log_in(olga).get(f"/teams/{team.slug}").get_data(as_text=True)
    assert tally(page) == (2, 2)
    assert participation(page) == {}
    assert "so this view stays hidden" in page


def test_the_csv_has_per_day_participation_and_totals_never_a_person(session, world, clock, log_in):
    acting_team(session, world, clock)
    team, week = world["team"], world["week"]
    rows = csv_rows(log_in(world["olga"]), team, week)
    assert rows[0] == ["Day", "Acts", "Members who took part", "People helped"]
    assert rows[1] == [MONDAY.isoformat(), "6", "3", "6"]
    assert rows[-1] == ["Whole week", "6", "3", "6"]
    assert len(rows) == 9
    text = "\n".join(",".join(row) for row in rows)
    for name in ("Bea", "Nia", "Taro", "Olga"):
        assert name not in text
    # Managers only.
    assert log_in(world["bea"]).get(f"/teams/{team.slug}/weeks/{week.id}.csv").status_code == 404


# -- what members shared -------------------------------------------------------


def test_what_members_shared_never_shows_the_viewers_only_me_acts(session, world, clock, log_in):
    team, olga, bea = world["team"], world["olga"], world["bea"]
    clock.move_to(datetime(2026, 11, 30, 11, 0, tzinfo=UTC))
    for author, what, visibility in (
        (olga, "OlgaOnlyMe", "private"),
        (olga, "OlgaForTheTeam", "team"),
        (bea, "BeaOnlyMe", "private"),
        (bea, "BeaInPublic", "public"),
        (bea, "BeaHiddenByModerators", "public"),
    ):
        act = make_act(session, author, MONDAY, what=what, visibility=visibility, today=MONDAY)
    act.hidden_at = datetime(2026, 11, 30, 10, tzinfo=UTC)
    session.commit()
    for who, own in (("olga", "OlgaOnlyMe"), ("bea", "BeaOnlyMe")):
        page = log_in(world[who]).get(f"/teams/{team.slug}").get_data(as_text=True)
        shared = re.search(r'id="feed-heading".*?</section>', page, re.S).group(0)
        assert "OlgaForTheTeam" in shared and "BeaInPublic" in shared, who
        assert own not in shared and "OnlyMe" not in shared, who
        assert "BeaHiddenByModerators" not in shared, who
        assert tally(page)[0] == 5  # every act counts in the tally


# -- the team's chains ---------------------------------------------------------


def chain_of_two(session, author, outsider, what, public=True):
    root = make_act(session, author, TODAY, what=what, visibility="public" if public else "team")
    claim(session, root, outsider)
    return root, make_act(session, outsider, TODAY, what=f"After {what}", parent=root)


def test_team_chains_group_single_acts_and_show_chains_beyond_the_team_first(
    session, world, log_in
):
    team, bea, nia = world["team"], world["bea"], world["nia"]
    outsider = make_user(session, display_name="Out")
    for number in range(14):
        make_act(session, bea, TODAY, what=f"Single {number}", visibility="public")
    # Within the team, reaching three people; beyond the team, reaching two.
    inside = make_act(session, bea, TODAY, what="StaysInside", visibility="public")
    claim(session, inside, nia)
    forward = make_act(session, nia, TODAY, what="NiaForward", visibility="public", parent=inside)
    claim(session, forward, world["taro"])
    chain_of_two(session, bea, outsider, "GoesBeyond")
    page = log_in(world["olga"]).get(f"/teams/{team.slug}/chains").get_data(as_text=True)
    assert "14 acts not yet passed on" in page
    assert "Single 3" not in page
    assert page.index("GoesBeyond") < page.index("StaysInside")
    assert "passed on beyond the team once" in page
    assert "0 times" not in page and "left the team" not in page
    assert page.count('class="card team-chain"') == 2


def test_team_chains_draw_placeholders_and_whole_dates(session, world, log_in):
    team, bea = world["team"], world["bea"]
    outsider = make_user(session)
    chain_of_two(session, bea, outsider, "RootForAll")  # the outsider's forward is private
    page = log_in(world["nia"]).get(f"/teams/{team.slug}/chains").get_data(as_text=True)
    svg = re.search(r'<svg[^>]*class="chain-tree".*?</svg>', page, re.S).group(0)
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own page
    nodes = with_class(root, "g", "chain-node")
    kinds = [sorted(c for c in classes(node) if c.startswith("kind-")) for node in nodes]
    assert kinds == [["kind-act"], ["kind-placeholder"]]
    placeholder = nodes[1]
    # Drawn as the chain page draws it: a small box with a dot, saying what it is.
    assert with_class(placeholder, "circle", "chain-dot")
    assert placeholder.find(f"{NS}title").text == "An act someone did"
    assert "After RootForAll" not in page
    texts = [text.text for text in nodes[0].iter(f"{NS}text")]
    assert "Nov 26, 2026" in texts


def test_team_chains_pages_of_twenty_and_bad_page_numbers(session, world, log_in):
    team, bea = world["team"], world["bea"]
    outsider = make_user(session)
    for number in range(21):
        chain_of_two(session, bea, outsider, f"Chain{number:02d}")
    client = log_in(world["olga"])
    first = client.get(f"/teams/{team.slug}/chains").get_data(as_text=True)
    second = client.get(f"/teams/{team.slug}/chains?page=2").get_data(as_text=True)
    assert first.count('class="card team-chain"') == 20
    assert second.count('class="card team-chain"') == 1
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert f"/teams/{team.slug}/chains?page=2" in first
    shown = set(re.findall(r"Chain\d\d", first)) | set(re.findall(r"Chain\d\d", second))
    assert len(shown) == 21
    for bad in ("0", "-1", "abc", "1.5", "²", "99999999999999999999"):
        assert client.get(f"/teams/{team.slug}/chains?page={bad}").status_code == 404, bad
    beyond = client.get(f"/teams/{team.slug}/chains?page=7")
    assert beyond.status_code == 302
    assert beyond.headers["Location"].endswith(f"/teams/{team.slug}/chains?page=2")


# -- the team's German ---------------------------------------------------------


def test_the_team_tally_says_ihr_in_german(session, world, clock, log_in):
    acting_team(session, world, clock)
    for person in (world["olga"], world["nia"]):
        person.locale = "de"
    session.commit()
    page = log_in(world["olga"]).get(f"/teams/{world['team'].slug}").get_data(as_text=True)
    assert "Menschen, denen ihr geholfen habt" in page
    assert "du geholfen hast" not in page
    assert "Wer mitgemacht hat" in page
    assert "Lass mich in dieser Ansicht weg" in page
    chains_page = log_in(world["nia"]).get(f"/teams/{world['team'].slug}/chains")
    assert "noch nicht weitergegeben" in chains_page.get_data(as_text=True)
    # The personal tally keeps speaking to the person.
    dashboard = log_in(world["olga"]).get("/").get_data(as_text=True)
    assert "ihr geholfen habt" not in dashboard
