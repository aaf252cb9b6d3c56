"""The daily letter, through the periodic tick under a frozen clock and a real SMTP
server: at the person's own hour, with a section per kind that has something to
say, at most once a day, and only to a confirmed account in good standing."""

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from markupsafe import escape

from kindness.domain import ideas, thanks
from kindness.domain.teams import membership, weeks
from kindness.models import Notification
from tests.clock import TODAY
from tests.factories import claim, make_act, make_challenge, make_user
from tests.notices import (
    letters,
    links,
    local,
    make_person,
    path_of,
    tick,
    tick_through,
    unsubscribe_header,
)

FRIDAY = TODAY + timedelta(days=1)  # TODAY is Thursday 26 November 2026
MONDAY = TODAY + timedelta(days=4)

WORDS = {
    "en": {
        "claimed": "Your card was claimed",
        "by_ben": "Ben claimed your card: “Shovelled the snow”",
        "thanks": "A thank-you from Ben, for you alone",
        "stop": "Stop these notices",
    },
    "de": {
        "claimed": "Deine Karte wurde eingelöst",
        "by_ben": "Ben hat deine Karte eingelöst: „Shovelled the snow“",
        "thanks": "Ein Dankeschön von Ben, nur für dich",
        "stop": "Diese Nachrichten abbestellen",
    },
}


@pytest.fixture(autouse=True)
def frozen(clock):
    return clock


@pytest.mark.parametrize("locale", ["en", "de"])
def test_the_letter_comes_at_the_chosen_hour_with_the_claim_and_the_note(
    app, session, clock, mailbox, locale
):
    words = WORDS[locale]
    ada = make_person(session, display_name="Ada", locale=locale, mail_hour=9)
    ben = make_person(session, display_name="Ben")
    act = claim(session, make_act(session, ada, TODAY, what="Shovelled the snow"), ben, named=True)
    thanks.write(session, ben, act.ref, "You made my morning.")
    session.commit()

    early = tick_through(app, clock, mailbox, [local(FRIDAY, 7), local(FRIDAY, 8, 59)])
    assert early == []
    [(_moment, mail)] = tick_through(app, clock, mailbox, [local(FRIDAY, 9)])
    assert mail.recipients == [ada.email]
    assert mail.message["Subject"] == words["claimed"]
    assert mail.message["Content-Language"] == locale
    for body in (mail.text, mail.html):
        assert str(escape(words["by_ben"])) in body or words["by_ben"] in body
        assert words["thanks"] in body
        assert "You made my morning." in body
        assert words["stop"] in body
    assert f"/chains/{act.ref}" in mail.text
    # RFC 8058 one-click unsubscribe, its URL written whole (not an encoded word).
    url = unsubscribe_header(mail)
    assert f"List-Unsubscribe: <{url}>".encode() in mail.raw

    # At most one a day: again within the hour, in the next hour, and late at night.
    later = [local(FRIDAY, 9, 40), local(FRIDAY, 10), local(FRIDAY, 23, 30)]
    assert tick_through(app, clock, mailbox, later) == []
    assert [letter.key for letter in letters(session)] == [f"letter:{ada.id}:2026-11-27"]
    assert mailbox.to(ben.email) == []


def test_no_letter_when_there_is_nothing_to_say(app, session, mailbox):
    ada = make_person(
        session, mail_hour=12, daily_idea=True, notify_week_ends=True, notify_travelled="daily"
    )
    ben = make_person(session, mail_hour=12)
    # Ada's card is claimed by Ben, but she turned these notices off.
    ada.notify_claimed = False
    session.commit()
    claim(session, make_act(session, ada, TODAY), ben)
    tick(app)  # noon in Berlin: their hour
    assert mailbox.received == []
    assert letters(session) == []


def test_never_to_an_unconfirmed_or_suspended_account(app, session, clock, mailbox):
    ben = make_person(session)
    people = {
        "confirmed": make_person(session, mail_hour=9),
        "unconfirmed": make_person(session, mail_hour=9, confirmed=False),
        "suspended": make_person(session, mail_hour=9),
    }
    for person in people.values():
        claim(session, make_act(session, person, TODAY), ben)
    people["suspended"].suspended_at = datetime.now(UTC)
    session.commit()
    arrived = tick_through(app, clock, mailbox, [local(FRIDAY, 9)])
    assert [mail.recipients for _moment, mail in arrived] == [[people["confirmed"].email]]
    assert [letter.user_id for letter in letters(session)] == [people["confirmed"].id]


def forwarded_chain(session, author, what: str):
    """``author``'s act, claimed by someone who passed it on; returns the root and forward."""
    receiver = make_user(session)
    root = claim(session, make_act(session, author, TODAY, what=what), receiver)
    return root, make_act(session, receiver, TODAY, what=f"{what}, passed on", parent=root)


def test_travelled_daily_comes_the_next_day_and_weekly_on_monday(app, session, clock, mailbox):
    daily = make_person(session, mail_hour=9, notify_travelled="daily", notify_claimed=False)
    weekly = make_person(session, mail_hour=9, notify_travelled="weekly", notify_claimed=False)
    never = make_person(session, mail_hour=9, notify_travelled="never", notify_claimed=False)
    for person, what in ((daily, "Fixed a bike"), (weekly, "Baked bread"), (never, "Sang")):
        forwarded_chain(session, person, what)

    days = [local(TODAY + timedelta(days=n), 9) for n in range(1, 8)]  # Friday to Thursday
    arrived = {
        mail.recipients[0]: (moment, mail)
        for moment, mail in tick_through(app, clock, mailbox, days)
    }
    assert set(arrived) == {daily.email, weekly.email}
    assert len(mailbox.received) == 2
    moment, mail = arrived[daily.email]
    assert moment.date() == FRIDAY
    assert "Your kindness travelled: “Fixed a bike”" in mail.text
    assert "The chain: 3 people, 2 generations" in mail.text
    moment, mail = arrived[weekly.email]
    assert moment.date() == MONDAY
    assert "Your kindness travelled: “Baked bread”" in mail.text
    assert "Fixed a bike" not in mail.text


def test_a_daily_letter_tells_of_growth_below_a_notice_still_unread(app, session, clock, mailbox):
    ada = make_person(session, mail_hour=9, notify_travelled="daily", notify_claimed=False)
    _root, forward = forwarded_chain(session, ada, "Fixed a bike")
    assert len(tick_through(app, clock, mailbox, [local(FRIDAY, 9)])) == 1

    # Friday afternoon it travels one generation further; the inbox notice is unread,
    # so the inbox writes no second one, yet Saturday's letter tells of it.
    clock.move_to(local(FRIDAY, 15))
    carer = make_user(session)
    claim(session, forward, carer)
    make_act(session, carer, FRIDAY, parent=forward, today=FRIDAY)
    session.expire_all()
    assert session.query(Notification).filter_by(user_id=ada.id, kind="travelled").count() == 1

    saturday, sunday = FRIDAY + timedelta(days=1), FRIDAY + timedelta(days=2)
    arrived = tick_through(app, clock, mailbox, [local(saturday, 9), local(sunday, 9)])
    [(moment, mail)] = arrived
    assert moment.date() == saturday
    assert "The chain: 4 people, 3 generations" in mail.text


def test_team_week_scheduled_then_starting_today(app, session, clock, mailbox):
    olga = make_person(session, display_name="Olga", mail_hour=9)
    ada = make_person(session, display_name="Ada", mail_hour=9, locale="de")
    outsider = make_person(session, mail_hour=9)
    team = membership.create(session, olga, name="Night Shift", description=None, is_public=False)
    membership.join(session, team.invite_code, ada, TODAY)
    weeks.schedule_week(session, team, olga, date(2026, 12, 1), today=TODAY)
    session.commit()

    days = [local(TODAY + timedelta(days=n), 9) for n in range(1, 7)]  # Friday to Wednesday
    arrived = tick_through(app, clock, mailbox, days)
    by_day = [(moment.date(), mail.recipients[0]) for moment, mail in arrived]
    # Olga scheduled it herself: she hears only when it starts.
    assert by_day == [
        (FRIDAY, ada.email),
        (date(2026, 12, 1), olga.email),
        (date(2026, 12, 1), ada.email),
    ]
    assert mailbox.to(outsider.email) == []
    scheduled, olga_start, ada_start = (mail for _moment, mail in arrived)
    assert scheduled.message["Subject"] == "Die Woche deines Teams"
    assert "Night Shift nimmt sich die Woche vom 01.12.2026 bis 07.12.2026." in scheduled.text
    assert f"/teams/{team.slug}" in scheduled.html
    assert "Night Shift starts its week today." in olga_start.text
    assert "Night Shift beginnt heute seine Woche." in ada_start.text


def test_the_last_day_of_a_week_and_the_idea_of_the_day(app, session, clock, mailbox, log_in):
    ada = make_person(session, mail_hour=13, notify_week_ends=True, daily_idea=True)
    week = make_challenge(session, ada, TODAY - timedelta(days=6))  # its last day is today
    [(_moment, mail)] = tick_through(app, clock, mailbox, [local(TODAY, 13)])

    assert mail.message["Subject"] == "News from Kindness for Nov 26, 2026"
    assert "Your week ends today — how was it?" in mail.text
    [week_link] = links(mail.text, "/challenges/")
    assert path_of(week_link) == f"/challenges/{week.id}"
    client = log_in(ada)
    assert client.get(path_of(week_link)).status_code == 200

    number = ideas.number_of_the_day(ada.id, TODAY, set())
    idea = ideas.load_ideas()[number]
    assert idea.text_en in mail.text
    assert str(escape(idea.text_en)) in mail.html
    [log_link] = links(mail.text, "/acts/new")
    assert path_of(log_link) == f"/acts/new?idea={number}"
    form = client.get(path_of(log_link)).get_data(as_text=True)
    assert str(escape(idea.text_en)) in form
    # Each section has its own "stop" link; the header's turns off both kinds.
    assert len(links(mail.text, "/unsubscribe/")) == 3  # two sections and the footer


def test_the_idea_comes_only_inside_a_week(app, session, clock, mailbox):
    ada = make_person(session, mail_hour=9, daily_idea=True)
    make_challenge(session, ada, FRIDAY + timedelta(days=1), today=TODAY)  # Saturday to Friday
    days = [local(TODAY + timedelta(days=n), 9) for n in range(1, 10)]
    arrived = tick_through(app, clock, mailbox, days)
    assert [moment.date() for moment, _mail in arrived] == [
        FRIDAY + timedelta(days=n) for n in range(1, 8)
    ]
    # One idea a day, a different one each day, never one she logged from.
    texts = {mail.text.split("An idea for today")[1] for _moment, mail in arrived}
    assert len(texts) == 7


def run_a_day(app, clock, mailbox, first: datetime, hours: int, step=timedelta(minutes=30)):
    moments = [first + step * n for n in range(int(timedelta(hours=hours) / step))]
    return tick_through(app, clock, mailbox, moments)


def test_tokyo_and_los_angeles_each_get_the_idea_at_their_own_hour_once(
    app, session, clock, mailbox
):
    tokyo = make_person(session, time_zone="Asia/Tokyo", mail_hour=7, daily_idea=True, locale="de")
    angeles = make_person(session, time_zone="America/Los_Angeles", mail_hour=7, daily_idea=True)
    no_week = make_person(session, time_zone="Asia/Tokyo", mail_hour=7, daily_idea=True)
    past_week = make_person(session, time_zone="America/Los_Angeles", mail_hour=7, daily_idea=True)
    for person in (tokyo, angeles):
        make_challenge(session, person, date(2026, 11, 24))
    make_challenge(session, past_week, date(2026, 11, 10))

    # From noon in Tokyo and 19:00 in Los Angeles: neither's hour is just behind.
    arrived = run_a_day(app, clock, mailbox, datetime(2026, 11, 27, 3, tzinfo=UTC), 24)
    got = {mail.recipients[0]: (moment, mail) for moment, mail in arrived}
    assert len(arrived) == 2 and set(got) == {tokyo.email, angeles.email}
    # 07:00 in Tokyo (UTC+9) on 28 November; 07:00 in Los Angeles (UTC-8) on the 27th.
    assert got[tokyo.email][0] == datetime(2026, 11, 27, 22, tzinfo=UTC)
    assert got[angeles.email][0] == datetime(2026, 11, 27, 15, tzinfo=UTC)
    for person, day in ((tokyo, date(2026, 11, 28)), (angeles, date(2026, 11, 27))):
        idea = ideas.load_ideas()[ideas.number_of_the_day(person.id, day, set())]
        assert idea.text(person.locale) in got[person.email][1].text
    assert "Eine Idee für heute" in got[tokyo.email][1].text
    assert "Das eintragen" in got[tokyo.email][1].html
    assert {letter.key for letter in letters(session)} == {
        f"letter:{tokyo.id}:2026-11-28",
        f"letter:{angeles.id}:2026-11-27",
    }
    assert mailbox.to(no_week.email) == mailbox.to(past_week.email) == []


def utc(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), UTC)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # 8 March 2026: 02:00 PST jumps to 03:00 PDT. A letter set for 2:00 comes at
        # 3:00 (10:00 UTC); one set for 7:00 comes at 14:00 UTC.
        (date(2026, 3, 8), {2: 10, 7: 14}),
        # 1 November 2026: 02:00 PDT falls back to 01:00 PST; 1:00 is lived twice,
        # the letter comes once (at the first); 7:00 PST is 15:00 UTC.
        (date(2026, 11, 1), {1: 8, 7: 15}),
    ],
)
def test_a_daylight_saving_day_in_los_angeles(app, session, clock, mailbox, day, expected):
    people = {
        hour: make_person(session, time_zone="America/Los_Angeles", mail_hour=hour, daily_idea=True)
        for hour in expected
    }
    for person in people.values():
        make_challenge(session, person, day - timedelta(days=2))
    midnight = local(day, 0, 0, zone="America/Los_Angeles").astimezone(UTC)
    arrived = run_a_day(app, clock, mailbox, midnight, 25)
    assert sorted((mail.recipients[0], moment) for moment, mail in arrived) == sorted(
        (people[hour].email, utc(day, utc_hour)) for hour, utc_hour in expected.items()
    )


def test_a_half_hour_zone(app, session, clock, mailbox):
    ravi = make_person(session, time_zone="Asia/Kolkata", mail_hour=8, daily_idea=True)
    make_challenge(session, ravi, date(2026, 11, 24))
    arrived = run_a_day(app, clock, mailbox, datetime(2026, 11, 27, tzinfo=UTC), 24)
    # 08:00 in Kolkata (UTC+5:30) is 02:30 UTC.
    assert [moment for moment, _mail in arrived] == [datetime(2026, 11, 27, 2, 30, tzinfo=UTC)]


def test_what_comes_after_the_letter_waits_for_the_next_day(app, session, clock, mailbox):
    ada = make_person(session, mail_hour=9)
    ben = make_person(session, display_name="Ben")
    claim(session, make_act(session, ada, TODAY, what="Watered the plants"), ben)
    assert len(tick_through(app, clock, mailbox, [local(FRIDAY, 9)])) == 1

    clock.move_to(local(FRIDAY, 9, 20))
    claim(session, make_act(session, ada, FRIDAY, what="Walked the dog", today=FRIDAY), ben)
    later_that_day = [local(FRIDAY, 9, 40), local(FRIDAY, 10), local(FRIDAY, 21)]
    assert tick_through(app, clock, mailbox, later_that_day) == []

    saturday = FRIDAY + timedelta(days=1)
    [(_moment, mail)] = tick_through(app, clock, mailbox, [local(saturday, 9)])
    assert "Walked the dog" in mail.text
    assert "Watered the plants" not in mail.text


def test_the_idea_is_never_one_already_logged_from(app, session, clock, mailbox):
    ada = make_person(session, mail_hour=13, daily_idea=True)
    make_challenge(session, ada, TODAY)
    first_choice = ideas.number_of_the_day(ada.id, TODAY, set())
    make_act(session, ada, TODAY).idea_number = first_choice
    session.commit()
    [(_moment, mail)] = tick_through(app, clock, mailbox, [local(TODAY, 13)])
    number = ideas.number_of_the_day(ada.id, TODAY, {first_choice})
    assert number != first_choice
    assert f"/acts/new?idea={number}" in mail.text
    assert ideas.load_ideas()[first_choice].text_en not in mail.text


def test_a_missed_hour_is_made_up_later_that_day_only(app, session, clock, mailbox):
    late = make_person(session, time_zone="Asia/Tokyo", mail_hour=7, daily_idea=True)
    too_late = make_person(session, time_zone="Asia/Kolkata", mail_hour=7, daily_idea=True)
    for person in (late, too_late):
        make_challenge(session, person, date(2026, 11, 24))
    # The scheduler was down until 00:30 UTC: 09:30 in Tokyo (2½ hours late),
    # 06:00 in Kolkata (not yet: 07:00 comes at 01:30 UTC).
    arrived = tick_through(app, clock, mailbox, [datetime(2026, 11, 27, 0, 30, tzinfo=UTC)])
    assert [mail.recipients for _moment, mail in arrived] == [[late.email]]
    # Kolkata's scheduler is down from 01:00 to 05:30 UTC (06:30 to 11:00 local):
    # 11:00 is more than three hours after 07:00, so that day's letter is not made up.
    arrived = tick_through(app, clock, mailbox, [datetime(2026, 11, 27, 5, 30, tzinfo=UTC)])
    assert arrived == []


def test_moved_and_cancelled_team_weeks_are_told_and_a_cancelled_week_never_starts(
    app, session, clock, mailbox
):
    olga = make_person(session, display_name="Olga", mail_hour=9)
    ada = make_person(session, display_name="Ada", mail_hour=9, locale="de")
    quiet = make_person(session, display_name="Quiet", mail_hour=9, notify_team_week=False)
    team = membership.create(session, olga, name="Night Shift", description=None, is_public=False)
    for person in (ada, quiet):
        membership.join(session, team.invite_code, person, TODAY)
    moving = weeks.schedule_week(session, team, olga, date(2026, 12, 8), today=TODAY)
    going = weeks.schedule_week(session, team, olga, date(2026, 11, 28), today=TODAY)
    session.commit()
    # Friday's letter tells Ada both are scheduled; Olga scheduled them herself.
    [(_moment, scheduled)] = tick_through(app, clock, mailbox, [local(FRIDAY, 9)])
    assert scheduled.recipients == [ada.email]

    clock.move_to(local(FRIDAY, 15))
    weeks.move_week(session, team, olga, moving.id, date(2026, 12, 15), today=FRIDAY)
    weeks.cancel_week(session, team, olga, going.id, today=FRIDAY)
    session.commit()
    saturday = date(2026, 11, 28)  # the cancelled week's first day
    arrived = tick_through(app, clock, mailbox, [local(saturday, 9)])
    [(_moment, mail)] = arrived
    assert mail.recipients == [ada.email]
    assert mail.message["Subject"] == "Die Woche deines Teams"
    for body in (mail.text, mail.html):
        assert (
            "Night Shift hat seine Woche verschoben: Sie läuft jetzt vom 15.12.2026 bis 21.12.2026."
            in body
        )
        assert "Night Shift hat seine Woche vom 28.11.2026 bis 04.12.2026 abgesagt." in body
        assert "beginnt heute" not in body and "nimmt sich die Woche" not in body
    assert mailbox.to(quiet.email) == [] and mailbox.to(olga.email) == []

    # Nothing is told twice the next day.
    assert tick_through(app, clock, mailbox, [local(saturday + timedelta(days=1), 9)]) == []
    params = json.loads(letters(session)[-1].params)
    assert (params["team_moved"], params["team_cancelled"]) == ([moving.id], [going.id])
