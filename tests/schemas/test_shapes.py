"""The JSON shapes dump real rows of the person's own data, as the pages show them,
on both databases; what is not theirs to read (a card's hidden text, a claimer
who chose not to be named) stays out."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kindness.domain import challenges, contacts, inbox, passes, thanks
from kindness.domain.teams import member_weeks, membership, weeks
from kindness.models import Act
from kindness.schemas.acts import ACT_LOADS, ActSchema
from kindness.schemas.cards import CardSchema
from kindness.schemas.challenges import ChallengeSchema, ChallengeWeek
from kindness.schemas.contacts import ContactSchema
from kindness.schemas.inbox import NotificationSchema
from kindness.schemas.me import MeSchema
from kindness.schemas.received import ReceivedSchema
from kindness.schemas.teams import MyTeam, TeamSchema, TeamWeekSchema
from kindness.schemas.thanks import ReceivedThanksSchema, SentThanksSchema
from tests.clock import TODAY
from tests.factories import claim, make_act, make_challenge, make_contact, make_user

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def world(session):
    """Ada's own data: a contact, an act for it that Ben claimed (named) and
    thanked for, a forward of an act Ben gave her (his text not shown on the card),
    a card still open, a week with a reflection, a team."""
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    grete = make_contact(session, ada, "Grete", note="Likes tulips")
    given = make_act(session, ada, TODAY, what="Carried the shopping", contact=grete,
                     note="She smiled", visibility="team")  # fmt: skip
    claim(session, given, ben, named=True)
    thanks.write(session, ben, given.ref, "Thank you, Ada")
    bens = make_act(session, ben, TODAY, what="Ben's secret kindness")
    claim(session, bens, ada)
    thanks.write(session, ada, bens.ref, "Thanks, Ben")
    forward = make_act(session, ada, TODAY, what="Passed it on", parent=bens)
    passes.create(session, forward, show_text=True)
    week = make_challenge(session, ada, TODAY - timedelta(days=6), today=TODAY - timedelta(days=6))
    challenges.reflect(session, ada, week.id, "A good week", TODAY)
    team = membership.create(
        session, ben, name="Night Shift", description="Nurses", is_public=False
    )
    membership.join(session, team.invite_code, ada, TODAY)
    weeks.schedule_week(session, team, ben, TODAY, TODAY)
    session.commit()
    return {"ada": ada, "ben": ben, "grete": grete, "given": given, "bens": bens,
            "forward": forward, "week": week, "team": team}  # fmt: skip


def test_me_has_the_settings_and_no_secrets(session, world):
    shown = MeSchema().dump(world["ada"])
    assert shown["display_name"] == "Ada"
    assert shown["language"] == "en"
    assert shown["time_zone"] == "Europe/Berlin"
    assert shown["notify_travelled"] == "weekly"
    assert shown["profile_name"] is None
    assert shown["created_at"].endswith("+00:00")
    for secret in ("email", "password_hash", "session_token", "calendar_token", "id", "is_admin"):
        assert secret not in shown


def test_acts_with_contact_note_and_chain(session, world):
    rows = session.scalars(
        select(Act).options(*ACT_LOADS).where(Act.author_id == world["ada"].id).order_by(Act.id)
    ).all()
    given, forward = ActSchema(many=True).dump(rows)
    assert given == given | {
        "id": world["given"].id,
        "ref": world["given"].ref,
        "what": "Carried the shopping",
        "performed_on": TODAY.isoformat(),
        "category": "help",
        "visibility": "team",
        "note": "She smiled",
        "contact_id": world["grete"].id,
        "contact_name": "Grete",
        "generation": 0,
        "parent_ref": None,
        "claimed": True,
        "hidden": False,
    }
    assert forward["contact_name"] is None and forward["contact_id"] is None
    assert forward["parent_ref"] == world["bens"].ref
    assert forward["generation"] == 1
    assert forward["claimed"] is False


def test_contacts(session, world):
    assert ContactSchema(many=True).dump(contacts.list_with_counts(session, world["ada"])) == [
        {"id": world["grete"].id, "name": "Grete", "note": "Likes tulips"}
    ]


def test_weeks_with_reflection_and_tally(session, world):
    [(challenge, tally)] = challenges.history_with_tallies(session, world["ada"])
    shown = ChallengeSchema().dump(ChallengeWeek.of(challenge, TODAY, tally))
    assert shown["reflection"] == "A good week"
    assert shown["status"] == "active"
    assert shown["abandoned"] is False and shown["abandoned_at"] is None
    assert shown["ends_on"] == TODAY.isoformat()
    assert shown["tally"] == {"acts": 2, "days_with_act": 1, "people_helped": 2}
    assert ChallengeSchema().dump(ChallengeWeek.of(challenge, TODAY))["tally"] is None


def test_cards_with_their_claims(session, world):
    shown = CardSchema(many=True).dump(passes.cards_of(session, world["ada"]))
    assert [(card["act_id"], card["state"], card["claimed_by"]) for card in shown] == [
        (world["given"].id, "claimed", "Ben"),
        (world["forward"].id, "open", None),
    ]
    assert shown[1]["show_text"] is True and shown[1]["claimed_at"] is None
    assert len(shown[1]["code"]) >= 16


def test_received_masks_the_text_the_card_did_not_show(session, world):
    [shown] = ReceivedSchema(many=True).dump(passes.received(session, world["ada"]))
    assert shown["ref"] == world["bens"].ref
    assert shown["what"] is None
    assert shown["giver_name"] == "Ben"
    assert shown["named"] is False
    assert shown["thanks"]["text"] == "Thanks, Ben"


def test_inbox_entries_with_read_state(session, world):
    shown = NotificationSchema(many=True).dump(inbox.entries(session, world["ada"]))
    kinds = {entry["kind"]: entry for entry in shown}
    claimed = kinds["claimed"]
    assert claimed["act_ref"] == world["given"].ref
    assert claimed["claimer_name"] == "Ben"
    assert claimed["thanks"]["text"] == "Thank you, Ada"
    assert claimed["read"] is False and claimed["team_week"] is None
    scheduled = kinds["week_scheduled"]
    assert scheduled["team_week"]["team_slug"] == world["team"].slug
    assert scheduled["act_ref"] is None
    inbox.mark_read(session, world["ada"], [claimed["id"]])
    again = NotificationSchema(many=True).dump(inbox.entries(session, world["ada"]))
    assert {entry["kind"]: entry["read"] for entry in again}["claimed"] is True


def test_teams_with_role_and_weeks(session, world):
    rows = [MyTeam(*row) for row in membership.my_teams(session, world["ada"])]
    assert TeamSchema(many=True).dump(rows) == [
        {
            "slug": world["team"].slug,
            "name": "Night Shift",
            "description": "Nurses",
            "is_public": False,
            "time_zone": "Europe/Berlin",
            "role": "member",
            "members": 2,
        }
    ]
    [week] = TeamWeekSchema(many=True).dump(member_weeks.listed(session, world["ada"]))
    assert (week["team_name"], week["status"], week["own_acts"]) == ("Night Shift", "active", 2)


def test_thanks_sent_and_received(session, world):
    [sent] = SentThanksSchema(many=True).dump(thanks.sent(session, world["ada"]))
    assert (sent["text"], sent["to_name"], sent["act_ref"]) == (
        "Thanks, Ben",
        "Ben",
        world["bens"].ref,
    )
    [got] = ReceivedThanksSchema(many=True).dump(thanks.received(session, world["ada"]))
    assert (got["text"], got["from_name"]) == ("Thank you, Ada", "Ben")
    # Ada chose not to be named on Ben's act: he reads her note from "someone".
    [bens] = ReceivedThanksSchema(many=True).dump(thanks.received(session, world["ben"]))
    assert (bens["text"], bens["from_name"]) == ("Thanks, Ben", None)
