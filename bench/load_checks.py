"""The checks after the load and fault run (bench/load.py): every acknowledged write
against the database, every mail against what the SMTP server received, every chain's
figures against the domain's recomputation. Each check is a count that must be zero.

Not a script of its own.
"""

import collections
from dataclasses import dataclass, field

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bench.load_people import World
from kindness.domain.chains import statistics
from kindness.models import Act, ChainMember, ChainStats, Mail, OutboxJob, Pass, User


@dataclass
class Outcome:
    """Counts that must be zero (``failures``) and counts that only inform (``notes``)."""

    failures: dict[str, int] = field(default_factory=dict)
    notes: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)

    def fail(self, name: str, count: int, example: str | None = None) -> None:
        self.failures[name] = self.failures.get(name, 0) + count
        if count and example and len(self.examples) < 20:
            self.examples.append(f"{name}: {example}")


def check_acts(session: Session, world: World, user_ids: dict[int, int], outcome: Outcome) -> None:
    rows = session.execute(
        select(Act.id, Act.what, Act.author_id, Act.parent_id).where(
            Act.what.like("Kindness load-%")
        )
    ).all()
    by_marker = collections.defaultdict(list)
    for row in rows:
        by_marker[row.what.split(" ")[1].rstrip(":")].append(row)
    refs = dict(session.execute(select(Act.id, Act.ref)).all())
    lost = wrong = 0
    for written in world.written:
        found = by_marker.get(written.marker, [])
        match = [row for row in found if row.id == written.act_id]
        if not match:
            lost += 1
            outcome.examples.append(f"lost act: {written}") if len(outcome.examples) < 20 else None
            continue
        row = match[0]
        parent_ref = refs.get(row.parent_id) if row.parent_id else None
        if row.author_id != user_ids[written.person] or parent_ref != written.parent_ref:
            wrong += 1
    duplicates = sum(len(found) - 1 for found in by_marker.values() if len(found) > 1)
    acknowledged = {written.marker for written in world.written}
    unacknowledged = sum(1 for marker in by_marker if marker not in acknowledged)
    outcome.fail("acknowledged acts lost", lost)
    outcome.fail("acts stored twice (same marker)", duplicates)
    outcome.fail("acts stored with another author or parent", wrong)
    outcome.notes["acts acknowledged (logged + forwards)"] = len(world.written)
    outcome.notes["forwards acknowledged"] = sum(1 for w in world.written if w.parent_ref)
    outcome.notes["acts stored without an acknowledgement (answer lost, e.g. a 503)"] = (
        unacknowledged
    )
    outcome.notes["acts attempted (POSTs sent)"] = len(world.attempted)


def check_cards_and_claims(
    session: Session, world: World, user_ids: dict[int, int], outcome: Outcome
) -> None:
    passes = {
        row.code: row
        for row in session.execute(
            select(Pass.code, Pass.act_id, Pass.claimed_by_id, Act.recipient_id).join(
                Act, Act.id == Pass.act_id
            )
        )
    }
    outcome.fail(
        "acknowledged cards lost",
        sum(
            1
            for card in world.cards
            if card.code not in passes or passes[card.code].act_id != card.act_id
        ),
    )
    wins = collections.defaultdict(list)
    races = collections.defaultdict(list)
    for claim in world.claims:
        if claim.won:
            wins[claim.code].append(claim.person)
        if claim.raced:
            races[claim.code].append(claim)
    two_winners = sum(1 for people in wins.values() if len(people) > 1)
    lost = sum(
        1
        for code, people in wins.items()
        if passes.get(code) is None
        or passes[code].claimed_by_id != user_ids[people[0]]
        or passes[code].recipient_id != user_ids[people[0]]
    )
    outcome.fail("cards acknowledged to two claimers", two_winners)
    outcome.fail("acknowledged claims lost (card or act names someone else)", lost)
    # A 5xx or no answer is counted with all the others, inside or outside the restart.
    outcome.fail(
        "claims answered other than 302 (won), 409 (taken) or a 5xx",
        sum(1 for claim in world.claims if claim.status not in ("302", "409")
            and not claim.status.startswith("5")),
    )  # fmt: skip
    # Both answered 302 or 409: a 503 (the PostgreSQL restart) may hide a claim that
    # was stored all the same, so such a pair proves nothing either way.
    settled = [
        pair
        for pair in races.values()
        if len(pair) == 2 and all(claim.status in ("302", "409") for claim in pair)
    ]
    for pair in settled:
        if sum(claim.won for claim in pair) != 1:
            shown = [(c.person, c.status, c.won, round(c.at, 1)) for c in pair]
            outcome.fail("races without exactly one winner (both answered)", 1, str(shown))
    outcome.failures.setdefault("races without exactly one winner (both answered)", 0)
    outcome.notes["two-person races with a 5xx on one side"] = sum(
        1 for pair in races.values() if any(c.status.startswith("5") for c in pair)
    )
    claimed = {code for code, row in passes.items() if row.claimed_by_id is not None}
    outcome.notes["claims stored without an acknowledgement (answer lost)"] = len(
        claimed - set(wins)
    )
    outcome.notes["cards acknowledged"] = len(world.cards)
    outcome.notes["claims acknowledged"] = sum(len(p) for p in wins.values())
    outcome.notes["claims refused with 409 (taken a moment before)"] = sum(
        1 for claim in world.claims if claim.status == "409"
    )
    outcome.notes["two-person races, both answered 302 or 409"] = len(settled)


def expected_travelled(session: Session) -> set[str]:
    """The mail keys the domain rule calls for, computed here from the acts alone:
    for every forward, each author on its path to the root (not the forward's own
    author) who chose "travelled: immediately" and confirmed their address."""
    acts = {row.id: row for row in session.execute(select(Act.id, Act.parent_id, Act.author_id))}
    wants = set(
        session.scalars(
            select(User.id).where(
                User.notify_travelled == "immediately",
                User.email_confirmed_at.is_not(None),
                User.suspended_at.is_(None),
            )
        )
    )
    keys = set()
    for act in acts.values():
        if act.parent_id is None:
            continue
        above = acts.get(act.parent_id)
        while above is not None:
            # ``wants`` holds no None: placeholders (no author) are left out.
            if above.author_id in wants and above.author_id != act.author_id:
                keys.add(f"travelled:{above.author_id}:{act.id}")
            above = acts.get(above.parent_id) if above.parent_id else None
    return keys


def check_mail(session: Session, received: list, outcome: Outcome) -> None:
    mails = session.execute(select(Mail.key, Mail.kind, Mail.state, Mail.to_address)).all()
    keys = {mail.key for mail in mails}
    expected = expected_travelled(session)
    outcome.fail("travelled notices never queued (fan-out lost)", len(expected - keys))
    outcome.fail(
        "travelled mails queued that the rule does not call for",
        len({k for k in keys if k.startswith("travelled:")} - expected),
    )
    states = collections.Counter(mail.state for mail in mails)
    outcome.fail(
        "mails not sent after the drain",
        sum(n for state, n in states.items() if state != "sent"),
        str(dict(states)),
    )
    sent_to = collections.Counter(mail.to_address for mail in mails if mail.state == "sent")
    got = collections.Counter(address for message in received for address in message.recipients)
    outcome.fail(
        "mails sent twice (SMTP server got more than the mail log says)",
        sum(max(0, got[a] - sent_to[a]) for a in got),
    )
    outcome.fail(
        "mails lost (the log says sent, the SMTP server has none)",
        sum(max(0, sent_to[a] - got[a]) for a in sent_to),
    )
    outcome.fail(
        "outbox rows left", session.scalar(select(text("count(*)")).select_from(OutboxJob))
    )
    outcome.notes["travelled notices expected by the rule"] = len(expected)
    for state, count in sorted(states.items()):
        outcome.notes[f"mail log: {state}"] = count
    outcome.notes["messages on the SMTP server"] = len(received)


def check_chain_stats(session: Session, outcome: Outcome) -> None:
    """Each chain's kept figures against ``statistics.recompute`` (rolled back)."""
    columns = (
        ChainStats.root_id, ChainStats.acts, ChainStats.generations, ChainStats.reach,
        ChainStats.unnamed, ChainStats.public_acts, ChainStats.first_on, ChainStats.last_on,
    )  # fmt: skip

    def figures() -> dict:
        kept = {row.root_id: tuple(row) for row in session.execute(select(*columns))}
        members = collections.defaultdict(set)
        for row in session.execute(
            select(ChainMember.root_id, ChainMember.user_id, ChainMember.places)
        ):
            members[row.root_id].add((row.user_id, row.places))
        return {root: (kept[root], members[root]) for root in kept}

    before = figures()
    for root_id in before:
        statistics.recompute(session, root_id)
    after = figures()
    session.rollback()
    differ = [root for root in before if before[root] != after.get(root)]
    outcome.fail(
        "chains whose figures differ from a recomputation",
        len(differ),
        f"root {differ[0]}: kept {before[differ[0]]}, recomputed {after.get(differ[0])}"
        if differ
        else None,
    )
    outcome.notes["chains checked against a recomputation"] = len(before)
