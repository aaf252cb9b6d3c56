"""Everything about one person, section by section, dumped with the API's shapes:
the data export's content (``archive`` writes it as JSON and CSV)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from marshmallow import Schema
from sqlalchemy import select
from sqlalchemy.orm import Session

from kindness.domain import challenges, contacts, inbox, passes, thanks
from kindness.domain.teams import member_weeks, membership
from kindness.models import Act, User
from kindness.schemas.acts import ACT_LOADS, ActSchema
from kindness.schemas.cards import CardSchema
from kindness.schemas.challenges import ChallengeSchema, ChallengeWeek
from kindness.schemas.contacts import ContactSchema
from kindness.schemas.inbox import NotificationSchema
from kindness.schemas.me import MeSchema
from kindness.schemas.received import ReceivedSchema
from kindness.schemas.teams import MyTeam, TeamSchema, TeamWeekSchema
from kindness.schemas.thanks import ReceivedThanksSchema, SentThanksSchema

# The sections, in the order of the README: each a file name (.json and .csv).
SECTIONS = (
    "profile",
    "acts",
    "contacts",
    "weeks",
    "team_weeks",
    "cards",
    "received",
    "thanks_sent",
    "thanks_received",
    "inbox",
    "teams",
)


@dataclass(frozen=True)
class Section:
    name: str
    # The shape of one row: its fields name the CSV's columns.
    schema: Schema
    # The profile is one object, every other section a list of them.
    content: dict[str, Any] | list[dict[str, Any]]

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.content if isinstance(self.content, list) else [self.content]


def _own_acts(session: Session, user: User) -> list[Act]:
    return list(
        session.scalars(
            select(Act)
            .options(*ACT_LOADS)
            .where(Act.author_id == user.id)
            .order_by(Act.performed_on, Act.id)
        )
    )


def sections(session: Session, user: User, today: date) -> list[Section]:
    """Every section of the person's data, dumped; ``today`` is the person's own
    (it decides where each of their weeks stands)."""
    weeks = [
        ChallengeWeek.of(challenge, today, tally)
        for challenge, tally in challenges.history_with_tallies(session, user)
    ]
    teams = [MyTeam(*row) for row in membership.my_teams(session, user)]
    found: dict[str, tuple[Schema, Any]] = {
        "profile": (MeSchema(), MeSchema().dump(user)),
        "acts": (ActSchema(), ActSchema(many=True).dump(_own_acts(session, user))),
        "contacts": (
            ContactSchema(),
            ContactSchema(many=True).dump(contacts.list_with_counts(session, user)),
        ),
        "weeks": (ChallengeSchema(), ChallengeSchema(many=True).dump(weeks)),
        "team_weeks": (
            TeamWeekSchema(),
            TeamWeekSchema(many=True).dump(member_weeks.listed(session, user)),
        ),
        "cards": (CardSchema(), CardSchema(many=True).dump(passes.cards_of(session, user))),
        "received": (
            ReceivedSchema(),
            ReceivedSchema(many=True).dump(passes.received(session, user)),
        ),
        "thanks_sent": (
            SentThanksSchema(),
            SentThanksSchema(many=True).dump(thanks.sent(session, user)),
        ),
        "thanks_received": (
            ReceivedThanksSchema(),
            ReceivedThanksSchema(many=True).dump(thanks.received(session, user)),
        ),
        "inbox": (
            NotificationSchema(),
            NotificationSchema(many=True).dump(inbox.entries(session, user, limit=None)),
        ),
        "teams": (TeamSchema(), TeamSchema(many=True).dump(teams)),
    }
    return [Section(name, *found[name]) for name in SECTIONS]
