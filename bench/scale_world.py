"""The data of bench/scale.py: a scratch PostgreSQL database with 100,000 people and
10,000,000 acts in chains of realistic shapes, loaded by ``COPY``.

The schema comes from the app's migrations (``upgrade head``). Before the load the
foreign keys and indexes of the loaded tables are dropped, after it they are built
again from the definitions read from the migrated schema (a big table is indexed
faster once than row by row), and the end state is compared with that schema.

The shapes: a chain of 100,000 acts (wide: mostly the root's children and
grandchildren), one 10,000 generations deep, one of 10,000 acts rooted in the
active person's act, twenty of 1,000, and then chains whose size follows a
heavy tail: more than half are single acts, most of the rest a handful of acts,
a few thousand reach hundreds. Authors are skewed: a fifth of all acts come from
1,000 busy people. A forward's author is its parent's recipient (the database's
composite key checks it), depth and root are those of the parent plus one, dates
never run before the parent's, every claimed act has its claimed pass, and
``chain_stats`` and ``chain_members`` hold what the domain's ``recompute`` gives
(bench/scale.py checks that on a sample). Teams (one of 500 members in a running
week), past team weeks and personal challenges complete what the pages read.

The run is seeded: the same arguments give the same rows, dated back from the day
it runs. Not a script of its own; bench/scale.py calls ``build``.
"""

import base64
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

import click
import psycopg
from sqlalchemy import make_url

from kindness import create_app
from kindness.cli import migrate
from kindness.domain.ideas import load_ideas
from kindness.extensions import passwords

SEED = 20261217
DATABASE = "kindness_scale"
PASSWORD = "bench-scale-kindly-2026"  # noqa: S105 (a throwaway account in a scratch database)
BUSY_PEOPLE = 1_000  # a fifth of all acts and claims come from these
TEAM_SIZE = 500
THE_PERSON = 1  # the active person whose dashboard is timed; owns the timed team

# The tables the generator fills; their foreign keys and indexes are dropped for the load.
LOADED = (
    "users", "acts", "chain_stats", "chain_members", "passes", "teams", "memberships",
    "team_weeks", "team_week_members", "challenges", "notifications",
)  # fmt: skip
COLUMNS = {
    "users": "id, email, display_name, password_hash, time_zone, locale, session_token,"
    " created_at, is_admin, profile_public, email_confirmed_at",
    "acts": "id, ref, author_id, what, performed_on, category, visibility, parent_id, root_id,"
    " depth, recipient_id, recipient_named, created_at, updated_at",
    "chain_stats": "root_id, acts, generations, reach, unnamed, public_acts, first_on, last_on,"
    " started_at, grown_at",
    "chain_members": "root_id, user_id, places",
    "passes": "id, act_id, code, show_text, created_at, claimed_at, claimed_by_id",
    "teams": "id, slug, name, name_key, description, is_public, invite_code, time_zone, created_at",
    "memberships": "team_id, user_id, role, in_participation, joined_at",
    "team_weeks": "id, team_id, starts_on, ends_on, created_by_id, created_at",
    "team_week_members": "week_id, user_id",
    "challenges": "id, user_id, starts_on, ends_on, pledged_at",
    "notifications": "id, user_id, kind, act_id, created_at, read_at",
}
SERIALS = ("users", "acts", "passes", "teams", "team_weeks", "challenges", "notifications")


@dataclass
class World:
    """What the timings need to address the data, kept as the database's comment so
    that ``--reuse`` finds it again."""

    acts: int = 0
    users: int = 0
    seed: int = SEED
    email: str = ""
    team_slug: str = ""
    chains: dict[str, int] = field(default_factory=dict)  # label -> root id
    refs: dict[str, str] = field(default_factory=dict)  # label -> root ref
    deepest_act: int = 0  # the last act of the deep chain
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    size: str = ""  # of the database, as PostgreSQL prints it


def server_url() -> str:
    import os

    return os.environ.get(
        "KINDNESS_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )


def database_url(name: str = DATABASE) -> str:
    return make_url(server_url()).set(database=name).render_as_string(hide_password=False)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _admin() -> psycopg.Connection:
    return psycopg.connect(_libpq(server_url()), autocommit=True)


def existing(name: str = DATABASE) -> World | None:
    """The world kept in the comment of database ``name``, if it was built completely."""
    with _admin() as admin:
        comment = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
    if not comment or not comment[0]:
        return None
    return World(**json.loads(comment[0]))


def drop(name: str = DATABASE) -> None:
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- the schema: migrated, then its keys and indexes off for the load and on again ----


@dataclass
class Schema:
    constraints: list[tuple[str, str, str, str]]  # table, name, type, definition
    indexes: list[tuple[str, str, str]]  # table, name, definition (indexes of no constraint)

    def same_as(self, other: "Schema") -> bool:
        return sorted(self.constraints) == sorted(other.constraints) and sorted(
            self.indexes
        ) == sorted(other.indexes)


def read_schema(connection: psycopg.Connection) -> Schema:
    constraints = connection.execute(
        "SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)"
        " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
        " WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f', 'c')"
    ).fetchall()
    indexes = connection.execute(
        "SELECT tablename, indexname, indexdef FROM pg_indexes i WHERE schemaname = 'public'"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
    ).fetchall()
    return Schema(constraints=list(constraints), indexes=list(indexes))


def _unbuild(connection: psycopg.Connection, schema: Schema) -> None:
    """Drop every foreign key (other tables point at the loaded ones too), then the
    keys and indexes of the loaded tables; CHECK constraints stay."""
    for table, name, kind, _definition in schema.constraints:
        if kind == "f":
            connection.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for table, name, kind, _definition in schema.constraints:
        if kind in "pu" and table in LOADED:
            connection.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for table, name, _definition in schema.indexes:
        if table in LOADED:
            connection.execute(f'DROP INDEX "{name}"')
    connection.commit()


def _rebuild(connection: psycopg.Connection, schema: Schema) -> Iterator[str]:
    """Keys and indexes first (the foreign keys need them), foreign keys last;
    yields what it built, for the progress bar."""
    for table, name, kind, definition in schema.constraints:
        if kind in "pu" and table in LOADED:
            connection.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            connection.commit()
            yield f"{table}.{name}"
    for table, name, definition in schema.indexes:
        if table in LOADED:
            connection.execute(definition)
            connection.commit()
            yield f"{table}.{name}"
    for table, name, kind, definition in schema.constraints:
        if kind == "f":
            connection.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            connection.commit()
            yield f"{table}.{name}"


# -- the rows ---------------------------------------------------------------------


def _text(value: str) -> str:
    """A value escaped for COPY's text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


N = "\\N"


class Generator:
    """Makes the rows in memory a batch at a time and hands them to COPY."""

    def __init__(self, connection: psycopg.Connection, acts: int, users: int, bar) -> None:
        self.connection = connection
        self.total = acts
        self.users = users
        self.bar = bar
        self.rng = random.Random(SEED)
        self.today = date.today()
        self.next_act = 1
        self.next_pass = 1
        self.lines: dict[str, list[str]] = {table: [] for table in COLUMNS}
        self.pending = 0
        self.ideas = [
            (idea.category, _text(idea.text_en), _text(idea.text_de)) for idea in load_ideas()
        ]
        self.stamp = {}  # date -> its created_at text (noon UTC), cached

    # people
    def person(self) -> int:
        random = self.rng.random
        if random() < 0.2:
            return 1 + int(random() * min(BUSY_PEOPLE, self.users))
        return 1 + int(random() * self.users)

    def other(self, user: int) -> int:
        while True:
            chosen = self.person()
            if chosen != user:
                return chosen

    @staticmethod
    def ref(act_id: int) -> str:
        """12 hex digits, one for each id: multiplying by an odd number is a bijection
        modulo 2**48 (a random token per row would cost a tenth of the run)."""
        return f"{act_id * 0x9E3779B97F4B % (1 << 48):012x}"

    @staticmethod
    def code(pass_id: int) -> str:
        return f"{pass_id * 0x9E3779B97F4A7C15F39CC0605CEDC835 % (1 << 128):032x}"

    def at(self, day: date) -> str:
        text = self.stamp.get(day)
        if text is None:
            text = self.stamp[day] = datetime.combine(day, clock(12), UTC).isoformat()
        return text

    # chains
    def chain(self, size: int, shape: str, author: int | None = None, public=False) -> int:
        """Write one chain of ``size`` acts; return its root id."""
        rng = self.rng
        random = rng.random
        root = self.next_act
        self.next_act += size
        authors = [author or self.person()]
        recipients: list[int | None] = [None]
        depths = [0]
        parents: list[int | None] = [None]
        days = [self.today - timedelta(days=rng.randint(0, 729))]
        for number in range(1, size):
            if shape == "deep":
                parent = number - 1
            elif shape == "wide":
                parent = int(random() ** 3 * number)
            elif random() < 0.7:
                parent = number - 1 - int(random() * min(6, number))
            else:
                parent = int(random() * number)
            if recipients[parent] is None:
                recipients[parent] = self.other(authors[parent])
            authors.append(recipients[parent])
            recipients.append(None)
            depths.append(depths[parent] + 1)
            parents.append(parent)
            days.append(min(self.today, days[parent] + STEPS[int(random() * 4)]))
        for number in range(size):
            # Claimed but not passed on (yet): a quarter of the leaves.
            if recipients[number] is None and random() < 0.25:
                recipients[number] = self.other(authors[number])
        acts, members, passes = self.lines["acts"], Counter(), self.lines["passes"]
        ideas = self.ideas
        unnamed = public_acts = 0
        for number in range(size):
            act_id = root + number
            category, english, german = ideas[int(random() * len(ideas))]
            visibility = "public" if (public and number == 0) else VISIBILITY[int(random() * 20)]
            public_acts += visibility == "public"
            recipient = recipients[number]
            at = self.at(days[number])
            parent = parents[number]
            if recipient is None:
                unnamed += 1
                recipient_text, named = N, "f"
            else:
                members[recipient] += 1
                recipient_text, named = str(recipient), "t" if random() < 0.6 else "f"
                passes.append(
                    f"{self.next_pass}\t{act_id}\t{self.code(self.next_pass)}\tt\t{at}\t{at}\t"
                    f"{recipient}\n"
                )
                self.next_pass += 1
            what = german if authors[number] % 5 == 0 else english
            acts.append(
                f"{act_id}\t{self.ref(act_id)}\t{authors[number]}\t{what}\t{days[number]}\t{category}\t"
                f"{visibility}\t{N if parent is None else root + parent}\t{root}\t"
                f"{depths[number]}\t{recipient_text}\t{named}\t{at}\t{at}\n"
            )
        members[authors[0]] += 1
        self.lines["chain_stats"].append(
            f"{root}\t{size}\t{max(depths) + 1}\t{len(members) + unnamed}\t{unnamed}\t"
            f"{public_acts}\t{min(days)}\t{max(days)}\t{self.at(days[0])}\t"
            f"{self.at(max(days))}\n"
        )
        self.lines["chain_members"].extend(
            f"{root}\t{user}\t{places}\n" for user, places in members.items()
        )
        self.pending += size
        if self.pending >= 100_000:
            self.flush()
        return root

    def size(self) -> int:
        """A chain's size: more than half single acts, then a heavy tail."""
        rng = self.rng
        if rng.random() < 0.55:
            return 1
        return min(2_000, int(rng.paretovariate(1.2)) + 1)

    def flush(self) -> None:
        with self.connection.cursor() as cursor:
            for table, lines in self.lines.items():
                if lines:
                    with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
                        copy.write("".join(lines))
                    lines.clear()
        self.connection.commit()
        self.bar.update(self.pending)
        self.pending = 0

    def rows(self, table: str, rows: list[tuple]) -> None:
        """Small tables: rows as tuples, written by psycopg."""
        with (
            self.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        self.connection.commit()


VISIBILITY = ("public",) * 7 + ("team",) * 3 + ("private",) * 10
STEPS = tuple(timedelta(days=n) for n in range(4))  # a forward's days after its parent


def _users(generator: Generator, password_hash: str) -> None:
    rng = generator.rng
    now = datetime.now(UTC)
    rows = []
    for number in range(1, generator.users + 1):
        german = number % 5 == 0
        rows.append(
            (
                number, f"person{number}@scale.invalid", f"Person {number}", password_hash,
                "Europe/Berlin" if german else "UTC", "de" if german else "en",
                base64.urlsafe_b64encode(rng.getrandbits(144).to_bytes(18, "big")).decode(),
                now - timedelta(days=rng.randint(0, 800)), False, False, now,
            )
        )  # fmt: skip
    generator.rows("users", rows)


def _teams(generator: Generator, world: World) -> None:
    """Teams of skewed sizes with their members and weeks; the first is the timed one:
    500 members, the person its owner, a week running since the day before yesterday."""
    rng, today = generator.rng, generator.today
    now = datetime.now(UTC)
    teams, memberships, weeks, week_members = [], [], [], []
    count = max(1, generator.users // 20)
    week_id = 0
    for team_id in range(1, count + 1):
        if team_id == 1:
            size = min(TEAM_SIZE, generator.users)
            people = [THE_PERSON, *rng.sample(range(2, generator.users + 1), size - 1)]
        else:
            size = min(300, generator.users, int(rng.paretovariate(1.3) * 4) + 2)
            people = rng.sample(range(1, generator.users + 1), size)
        slug = "scale-team" if team_id == 1 else f"team-{team_id}"
        teams.append((team_id, slug, f"Team {team_id}", f"team {team_id}", "A team at scale.",
                      team_id % 3 == 0, f"invite{team_id:08d}", "UTC", now))  # fmt: skip
        for number, user in enumerate(people):
            role = "owner" if number == 0 else ("admin" if number < 3 else "member")
            memberships.append((team_id, user, role, True, now - timedelta(days=400)))
        starts = [today - timedelta(days=7 * rng.randint(2, 100)) for _ in range(rng.randint(0, 3))]
        if team_id == 1:
            starts = [today - timedelta(days=2)] + [
                today - timedelta(days=2 + 14 * n) for n in range(1, 11)
            ]
        elif rng.random() < 0.1:
            starts.append(today - timedelta(days=rng.randint(0, 6)))
        for starts_on in sorted(set(starts)):
            week_id += 1
            weeks.append(
                (week_id, team_id, starts_on, starts_on + timedelta(days=6), people[0], now)
            )
            week_members.extend((week_id, user) for user in people)
    world.team_slug = "scale-team"
    generator.rows("teams", teams)
    generator.rows("memberships", memberships)
    generator.rows("team_weeks", weeks)
    generator.rows("team_week_members", week_members)
    world.counts.update(teams=len(teams), memberships=len(memberships), team_weeks=len(weeks))


def _challenges(generator: Generator, world: World) -> None:
    rng, today = generator.rng, generator.today
    now = datetime.now(UTC)
    rows = [(1, THE_PERSON, today - timedelta(days=1), today + timedelta(days=5), now)]
    for number, user in enumerate(rng.sample(range(2, generator.users + 1), generator.users // 10)):
        starts_on = today - timedelta(days=rng.randint(0, 700))
        rows.append((number + 2, user, starts_on, starts_on + timedelta(days=6), now))
    generator.rows("challenges", rows)
    world.counts["challenges"] = len(rows)


def _notices(generator: Generator, world: World) -> None:
    """The person's inbox: news of acts further down their big chain, half of it read."""
    now = datetime.now(UTC)
    root = world.chains["10k"]
    rows = [
        (number + 1, THE_PERSON, "travelled", root + number + 1,
         now - timedelta(minutes=number), now if number % 2 else None)
        for number in range(min(50, world.acts // 1000))
    ]  # fmt: skip
    generator.rows("notifications", rows)


def _acts(generator: Generator, world: World) -> None:
    total = world.acts
    planted = [
        ("100k wide", min(100_000, total // 40), "wide", None),
        ("10k deep", min(10_000, total // 400), "deep", None),
        ("10k", min(10_000, total // 400), "random", THE_PERSON),
        *((f"1k #{n}", min(1_000, total // 4000), "random", None) for n in range(20)),
    ]
    for label, size, shape, author in planted:
        world.chains[label] = generator.chain(max(size, 2), shape, author, public=True)
        if label == "10k deep":
            world.deepest_act = generator.next_act - 1
    while generator.next_act <= total:
        size = min(generator.size(), total - generator.next_act + 1)
        public = "typical (5 acts)" not in world.chains and size == 5
        root = generator.chain(size, "random", public=public)
        if public:
            world.chains["typical (5 acts)"] = root
    generator.flush()


def build(acts: int, users: int, name: str = DATABASE) -> World:
    """Make database ``name`` afresh and fill it; print each phase's time."""
    world = World(acts=acts, users=users)
    url = database_url(name)

    def phase(name: str, began: float) -> float:
        world.seconds[name] = round(time.perf_counter() - began, 1)
        print(f"  {name}: {world.seconds[name]:.0f} s", file=sys.stderr)
        return time.perf_counter()

    started = began = time.perf_counter()
    drop(name)
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        password_hash = passwords().hash(PASSWORD)
    app.extensions["kindness.db"].engine.dispose()
    began = phase("migrate (upgrade head)", began)
    with psycopg.connect(_libpq(url)) as connection:
        connection.execute("SET maintenance_work_mem = '1GB'")
        connection.execute("SET max_parallel_maintenance_workers = 2")
        migrated = read_schema(connection)
        _unbuild(connection, migrated)
        with click.progressbar(length=acts, label="  acts by COPY", file=sys.stderr) as bar:
            generator = Generator(connection, acts, users, bar)
            _users(generator, password_hash)
            _acts(generator, world)
            _teams(generator, world)
            _challenges(generator, world)
            _notices(generator, world)
        for table in SERIALS:
            connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" coalesce((SELECT max(id) FROM {table}), 1))"
            )
        connection.commit()
        began = phase("generate and COPY", began)
        steps = sum(
            1 for t, _n, k, _d in migrated.constraints if k == "f" or (k in "pu" and t in LOADED)
        ) + sum(1 for t, _n, _d in migrated.indexes if t in LOADED)
        with click.progressbar(
            _rebuild(connection, migrated),
            length=steps,
            file=sys.stderr,
            label="  keys and indexes",
            item_show_func=str,
        ) as built:
            for _ in built:
                pass
        if not read_schema(connection).same_as(migrated):
            raise SystemExit("ABORT: the rebuilt keys and indexes differ from the migrated schema")
        connection.commit()
        began = phase("keys and indexes (schema equals the migrated one)", began)
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")
        began = phase("VACUUM ANALYZE", began)
        for table in ("users", "acts", "chain_stats", "chain_members", "passes"):
            world.counts[table] = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        refs = connection.execute(
            "SELECT id, ref FROM acts WHERE id = ANY(%s)", (list(world.chains.values()),)
        ).fetchall()
        by_id = dict(refs)
        world.refs = {label: by_id[root] for label, root in world.chains.items()}
        world.email = f"person{THE_PERSON}@scale.invalid"
        world.counts["the person's acts"] = connection.execute(
            "SELECT count(*) FROM acts WHERE author_id = %s", (THE_PERSON,)
        ).fetchone()[0]
        world.seconds["all"] = round(time.perf_counter() - started, 1)
        size = connection.execute("SELECT pg_size_pretty(pg_database_size(%s))", (name,))
        world.size = size.fetchone()[0]
        print(f"  database {name}: {world.size}", file=sys.stderr)
        # Written last: a database without it was not finished, and --reuse rebuilds it.
        comment = json.dumps(asdict(world)).replace("'", "''")
        connection.execute(f"COMMENT ON DATABASE \"{name}\" IS '{comment}'")
    return world
