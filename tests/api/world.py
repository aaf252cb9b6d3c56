"""A world for the API's access tests (tests/api/test_access_coverage.py): Ben owns
one of everything the API addresses by id, reference or code, each holding a
private string that starts with ``MARKER``; Ada, a stranger to him, owns one of
each too, so that a refused write of hers is refused for its token's scope and not
for the object's owner. Cy and Dee are the people their cards and thanks need."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kindness.domain import passes, thanks
from kindness.domain.challenges import reflect
from kindness.domain.teams import membership, weeks
from kindness.models import Notification, User
from tests.clock import TODAY
from tests.factories import claim, make_act, make_challenge, make_contact, make_user

# Every private string of Ben's starts with it (his e-mail address too).
MARKER = "BENSECRET"


@dataclass(frozen=True)
class Belongings:
    """One person's objects, by the names the API's path parameters give them."""

    act_id: int  # an act with a note, a contact and an open card
    plain_act_id: int  # an act without a card, to make one of
    act_ref: str
    contact_id: int
    challenge_id: int  # a week that ends today: it may be abandoned and reflected on
    notification_id: int  # unread
    slug: str  # a private team with a week
    week_id: int


@dataclass(frozen=True)
class World:
    ada: User
    ben: User
    bens: Belongings
    adas: Belongings
    # Ben's secrets that are no marker string.
    claim_code: str
    # Codes that Ada may use by holding them: a card of Cy's, a team of Cy's.
    cys_claim_code: str
    cys_invite_code: str

    def secrets(self) -> tuple[str, ...]:
        """What must never show to Ada (compared case-insensitively)."""
        return (MARKER, self.claim_code)


def _unread_notice(session: Session, user: User) -> int:
    notice = session.scalar(
        select(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .order_by(Notification.id)
        .limit(1)
    )
    assert notice is not None
    return notice.id


def _belongings(session: Session, owner: User, giver: User, taker: User, words: str) -> tuple:
    """``owner``'s objects; ``giver`` hands ``owner`` an act, which ``owner``
    passes on and thanks for; ``taker`` claims an act of ``owner``'s and thanks."""
    contact = make_contact(session, owner, f"{words}-contact", note=f"{words}-contact-note")
    act = make_act(session, owner, TODAY, what=f"{words}-act", contact=contact,
                   note=f"{words}-note", visibility="private")  # fmt: skip
    card = passes.create(session, act, show_text=True)
    plain = make_act(session, owner, TODAY, what=f"{words}-plain-act", note=f"{words}-plain-note")
    first = TODAY - timedelta(days=6)
    week = make_challenge(session, owner, first, today=first)
    reflect(session, owner, week.id, f"{words}-reflection", TODAY)
    # Kindness received, passed on, and thanked for.
    received = claim(session, make_act(session, giver, TODAY, what=f"{words}-received"), owner)
    forward = make_act(session, owner, TODAY, what=f"{words}-forward", parent=received,
                       note=f"{words}-forward-note")  # fmt: skip
    thanks.write(session, owner, received.ref, f"{words}-thanks-sent")
    # Kindness given and thanked for: notices in the inbox.
    given = claim(session, make_act(session, owner, TODAY, what=f"{words}-given"), taker)
    thanks.write(session, taker, given.ref, f"{words}-thanks-received")
    team = membership.create(session, owner, name=f"{words}-team",
                             description=f"{words}-team-description", is_public=False)  # fmt: skip
    team_week = weeks.schedule_week(session, team, owner, TODAY, TODAY)
    make_act(session, owner, TODAY, what=f"{words}-team-act", visibility="team")
    session.commit()
    belongings = Belongings(
        act_id=act.id,
        plain_act_id=plain.id,
        act_ref=forward.ref,
        contact_id=contact.id,
        challenge_id=week.id,
        notification_id=_unread_notice(session, owner),
        slug=team.slug,
        week_id=team_week.id,
    )
    return belongings, card.code


def build(session: Session) -> World:
    """Ada, Ben, and everything of theirs (committed)."""
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben", email=f"{MARKER.lower()}-mail@example.org")
    cy = make_user(session, display_name="Cy")
    dee = make_user(session, display_name="Dee")
    bens, claim_code = _belongings(session, ben, cy, dee, MARKER)
    adas, _code = _belongings(session, ada, dee, cy, "Ada's")
    cys_card = passes.create(session, make_act(session, cy, TODAY, what="Cy's card"), False)
    cys_team = membership.create(session, cy, name="Cy's club", description=None, is_public=False)
    session.commit()
    return World(
        ada=ada,
        ben=ben,
        bens=bens,
        adas=adas,
        claim_code=claim_code,
        cys_claim_code=cys_card.code,
        cys_invite_code=cys_team.invite_code,
    )
