"""Plain helpers that make test data through the domain functions.

Dates are passed in; where a rule needs "today" it is ``tests.clock.TODAY``
(or a later date passed in), never the machine's calendar.
"""

import itertools
from datetime import date

from sqlalchemy.orm import Session

from kindness.domain import accounts
from kindness.domain.passwords import Passwords
from kindness.domain.teams import membership
from kindness.models import User
from tests.clock import TODAY

PASSWORD = "a quiet morning walk"
_numbers = itertools.count(1)
_cheap = Passwords(time_cost=1, memory_cost=8, parallelism=1)


def make_user(
    session: Session,
    *,
    email: str | None = None,
    display_name: str | None = None,
    password: str = PASSWORD,
    time_zone: str = "Europe/Berlin",
    locale: str = "en",
    hasher: Passwords = _cheap,
) -> User:
    number = next(_numbers)
    user = accounts.sign_up(
        session,
        hasher,
        email=email or f"person{number}@example.org",
        display_name=display_name or f"Person {number}",
        password=password,
        time_zone=time_zone,
        locale=locale,
    )
    session.commit()
    return user


def make_contact(session: Session, owner: User, name: str = "Grete", note: str | None = None):
    from kindness.domain import contacts

    contact = contacts.add(session, owner, name, note)
    session.commit()
    return contact


def make_act(
    session: Session,
    author: User,
    performed_on,
    what: str = "Carried the shopping upstairs",
    contact=None,
    category: str = "help",
    visibility: str = "private",
    note: str | None = None,
    parent=None,
    today: date | None = None,
):
    """Log an act through the domain (a forward of ``parent`` when given), checked
    against ``today`` (default: TODAY, or ``performed_on`` when that is later)."""
    from kindness.domain import acts
    from kindness.domain.acts import ActInput

    act = acts.log(
        session,
        author,
        ActInput(
            what=what,
            performed_on=performed_on,
            contact_id=contact.id if contact else None,
            category=category,
            visibility=visibility,
            note=note,
            parent_ref=parent.ref if parent else None,
        ),
        today=today or max(performed_on, TODAY),
    )
    session.commit()
    run_jobs(session)
    return act


def run_jobs(session: Session) -> None:
    """Run the jobs that the domain calls since the last commit wrote to the outbox
    (a forward's fan-out to the authors above it), as the request boundary does
    after its commit. Sending mail is left to the tests that look for it: they go
    through the pages or ``dispatch.run``, where the app sends it."""
    import json

    from sqlalchemy import select

    from kindness.domain import outbox
    from kindness.jobs.registry import JOBS
    from kindness.models import OutboxJob

    ids = outbox.written(session)
    for row in session.scalars(select(OutboxJob).where(OutboxJob.id.in_(ids))).all():
        if row.job != "send_mail":
            session.delete(row)
            JOBS[row.job](session, **json.loads(row.args))
    session.commit()


def make_acts(session: Session, author: User, days, contacts=(), what: str = "A small kindness"):
    """Insert one root act per date in ``days`` in a few statements (for volume tests)."""
    from sqlalchemy import insert, update

    from kindness.models import Act, ChainMember, ChainStats

    items = [
        Act(
            author_id=author.id,
            what=f"{what} {number}",
            performed_on=day,
            contact_id=contacts[number % len(contacts)].id if contacts else None,
            category="help",
            visibility="private",
        )
        for number, day in enumerate(days)
    ]
    session.add_all(items)
    session.flush()
    ids = [item.id for item in items]
    session.execute(update(Act).where(Act.id.in_(ids)).values(root_id=Act.id))
    session.execute(
        insert(ChainStats),
        [
            {
                "root_id": item.id,
                "acts": 1,
                "generations": 1,
                "reach": 2,
                "unnamed": 1,
                "public_acts": 0,
                "first_on": item.performed_on,
                "last_on": item.performed_on,
            }
            for item in items
        ],
    )
    session.execute(
        insert(ChainMember), [{"root_id": i, "user_id": author.id, "places": 1} for i in ids]
    )
    session.commit()
    return items


def make_challenge(session: Session, user: User, starts_on, today=None):
    from kindness.domain import challenges

    challenge = challenges.start(
        session, user, starts_on=starts_on, pledged=True, today=today or starts_on
    )
    session.commit()
    return challenge


def claim(session: Session, act, user, named: bool = False):
    """Make a pass-it-on link for ``act`` and claim it as ``user``."""
    from kindness.domain import passes

    link = passes.create(session, act, show_text=False)
    passes.claim(session, link.code, user, named=named)
    session.commit()
    session.refresh(act)
    return act


def make_tree(session: Session, first, second, size: int, visibility: str = "private", day=None):
    """A binary tree of ``size`` acts, generation by generation, whose authors take
    turns (each forward's author received its parent). Returns the acts in order."""
    from kindness.domain.chains import statistics
    from kindness.models import Act, ChainMember, ChainStats

    day = day or date(2026, 11, 1)
    made: list = []
    level = 0
    while len(made) < size:
        start, end = 2**level - 1, min(2 ** (level + 1) - 1, size)
        author, recipient = (first, second) if level % 2 == 0 else (second, first)
        batch = [
            Act(
                author_id=author.id,
                recipient_id=recipient.id,
                what=f"Tree act {number}",
                performed_on=day,
                category="help",
                visibility=visibility,
                parent_id=made[(number - 1) // 2].id if number else None,
                root_id=made[0].id if number else None,
                depth=level,
            )
            for number in range(start, end)
        ]
        session.add_all(batch)
        session.flush()
        if level == 0:
            batch[0].root_id = batch[0].id
            session.add(ChainStats(root_id=batch[0].id, first_on=day, last_on=day, acts=1, reach=0))
            session.flush()
            session.add(ChainMember(root_id=batch[0].id, user_id=first.id, places=1))
        made.extend(batch)
        level += 1
    statistics.recompute(session, made[0].id)
    session.commit()
    return made


def make_crew(session: Session, description: str | None = "Nurses") -> dict:
    """An owner, an admin, a member and a stranger; a private team, "Night Shift"."""
    owner = make_user(session, display_name="Olga")
    admin = make_user(session, display_name="Adam")
    member = make_user(session, display_name="Mia")
    stranger = make_user(session, display_name="Stan")
    team = membership.create(
        session, owner, name="Night Shift", description=description, is_public=False
    )
    membership.join(session, team.invite_code, admin, TODAY)
    membership.join(session, team.invite_code, member, TODAY)
    membership.set_role(session, team, owner, admin.id, "admin")
    session.commit()
    return {"owner": owner, "admin": admin, "member": member, "stranger": stranger, "team": team}
