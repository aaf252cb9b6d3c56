"""Chains of fixed shape for tests: one like the demo world's biggest (232 acts
over 35 generations, wide in the middle) and big ones of any size, built with
the factories' models in a few flushes."""

from datetime import date, timedelta
from itertools import pairwise


def generation_sizes(acts: int, generations: int) -> list[int]:
    """How many acts each generation holds: one at the root and at the ends, most in
    the middle (a tent), ``acts`` in all."""
    middle = (generations - 1) / 2
    weights = [middle - abs(g - middle) for g in range(generations)]
    spare = acts - generations  # every generation has at least one act
    sizes = [1 + int(spare * w / sum(weights)) for w in weights]
    sizes[0] = 1
    for g in sorted(range(1, generations), key=lambda g: -weights[g]):
        if sum(sizes) >= acts:
            break
        sizes[g] += 1
    assert sum(sizes) == acts and sizes[0] == 1, sizes
    return sizes


def shape(acts: int, generations: int) -> list[int | None]:
    """Parent positions, parents first: each generation's acts spread over the
    previous one's in order, so every act of a narrow row has children."""
    sizes = generation_sizes(acts, generations)
    parents: list[int | None] = [None]
    start = 0  # position of the previous generation's first act
    for before, size in pairwise(sizes):
        parents += [start + (i * before) // size for i in range(size)]
        start += before
    return parents


DEMO_ACTS, DEMO_GENERATIONS = 232, 35


def make_shaped_chain(session, first, second, parents, day=None, private_every: int = 7):
    """Acts in the shape of ``parents``, authors taking turns by generation, every
    ``private_every``-th act private (the root is public), one week per generation.
    Returns the acts in order; the chain's figures are recomputed and committed."""
    from kindness.domain.chains import statistics
    from kindness.models import Act, ChainMember, ChainStats

    day = day or date(2026, 3, 2)
    depth = [0] * len(parents)
    for number, parent in enumerate(parents):
        if parent is not None:
            depth[number] = depth[parent] + 1
    made: list = []
    for generation in range(max(depth) + 1):
        author, recipient = (first, second) if generation % 2 == 0 else (second, first)
        batch = [
            Act(
                author_id=author.id,
                recipient_id=recipient.id,
                what=f"Helped a neighbour carry the shopping, act {number}",
                performed_on=day + timedelta(weeks=generation),
                category="help",
                visibility="private" if number and number % private_every == 0 else "public",
                parent_id=made[parents[number]].id if number else None,
                root_id=made[0].id if number else None,
                depth=generation,
            )
            for number in range(len(parents))
            if depth[number] == generation
        ]
        session.add_all(batch)
        session.flush()
        if generation == 0:
            batch[0].root_id = batch[0].id
            session.add(ChainStats(root_id=batch[0].id, first_on=day, last_on=day, acts=1, reach=0))
            session.flush()
            session.add(ChainMember(root_id=batch[0].id, user_id=first.id, places=1))
        made.extend(batch)
    statistics.recompute(session, made[0].id)
    session.commit()
    return made


def insert_chain(session, parents, people, day=None, visibility="public"):
    """A chain in the shape of ``parents`` written with core inserts, for chains far
    bigger than the domain could log in a test: root_id and depth as the domain
    sets them, the authors of generation ``g`` being ``people[g % len(people)]``
    and each act claimed by the next generation's author (so every forward's author
    received its parent, as the database checks). Statistics and members come
    from the domain's own ``recompute``. Returns the acts' ids in order."""
    from sqlalchemy import func, insert, select, text

    from kindness.domain.chains import statistics
    from kindness.models import Act, ChainStats

    assert len(people) >= 2
    day = day or date(2026, 3, 2)
    first = (session.scalar(select(func.max(Act.id))) or 0) + 1
    depth = [0] * len(parents)
    rows = []
    for number, parent in enumerate(parents):
        if parent is not None:
            depth[number] = depth[parent] + 1
        rows.append(
            {
                "id": first + number,
                "ref": f"c{first + number}",
                "author_id": people[depth[number] % len(people)].id,
                "recipient_id": people[(depth[number] + 1) % len(people)].id,
                "recipient_named": number % 3 == 0,
                "what": f"Kindness number {number}",
                "performed_on": day,
                "category": "help",
                "visibility": visibility if number % 5 else "private",
                "parent_id": None if parent is None else first + parent,
                "root_id": first,
                "depth": depth[number],
            }
        )
    rows[0]["visibility"] = "public"
    for start_at in range(0, len(rows), 2000):  # parents come before their children
        session.execute(insert(Act), rows[start_at : start_at + 2000])
    if session.get_bind().dialect.name == "postgresql":  # ids given: move the sequence on
        session.execute(
            text("SELECT setval(pg_get_serial_sequence('acts', 'id'), max(id)) FROM acts")
        )
    session.execute(insert(ChainStats).values(root_id=first, first_on=day, last_on=day))
    statistics.recompute(session, first)
    session.commit()
    return [row["id"] for row in rows]


def line(length: int) -> list[int | None]:
    """A chain without branches: each act passed on once."""
    return [None, *range(length - 1)]


def insert_people(session, count: int, prefix: str = "member"):
    """``count`` people written with one core insert (nobody logs in as them)."""
    from sqlalchemy import insert, select

    from kindness.models import User

    emails = [f"{prefix}{number}@example.org" for number in range(count)]
    session.execute(
        insert(User),
        [
            {
                "email": email,
                "display_name": f"{prefix.title()} {number}",
                "password_hash": "-",
                "time_zone": "Europe/Berlin",
                "locale": "en",
            }
            for number, email in enumerate(emails)
        ],
    )
    found = {
        user.email: user for user in session.scalars(select(User).where(User.email.in_(emails)))
    }
    return [found[email] for email in emails]
