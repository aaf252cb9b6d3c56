"""Demo data: ``flask --app app seed-demo`` fills a development database with a
believable world of pseudonymous demo users, teams, weeks and chains.

Everything goes through the domain functions (sign-up, acts, passes, teams,
challenges, profiles), so every rule holds and the chain figures are the ones
the app keeps itself. Demo accounts are recognisable by their address at
``@demo.kindness.invalid`` (a top-level domain that never delivers mail), and
the command refuses a database with any other account unless forced.
"""

import random
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kindness.domain import accounts, acts, challenges, passes, profiles
from kindness.domain.acts import ActInput
from kindness.domain.dates import today_for, week_days
from kindness.domain.ideas import Idea, load_ideas
from kindness.domain.passwords import Passwords
from kindness.domain.teams import membership, weeks
from kindness.models import Act, ChainStats, Team, User

DEMO_DOMAIN = "demo.kindness.invalid"
# Shared by every demo account and printed at the end, so that anyone can log in as one.
DEMO_PASSWORD = "kindness-demo-2026"  # noqa: S105
HISTORY_DAYS = 60
COMMIT_EVERY = 100
EMAIL_PATTERN = re.compile(rf"^demo-(\d+)@{re.escape(DEMO_DOMAIN)}$")
# What a refusal tells the person to run instead.
FORCE_COMMAND = "flask --app app seed-demo --force"

PSEUDONYMS = (
    "Sonnenblume", "Morgentau", "Lindenblatt", "Rotkehlchen", "Kleiner Bär", "Pusteblume",
    "Wolkenschieber", "Leuchtturm", "Zaunkönig", "Kastanie", "Herbstwind", "Gänseblümchen",
    "Igelchen", "Teekanne", "Regenbogen", "Sternschnuppe", "Brückenbauerin", "Flussperle",
    "Waldmeister", "Himmelblau", "Honigbiene", "Lesefuchs", "Mohnblume", "Nordlicht",
    "Sandkorn", "Schneeflocke", "Glühwürmchen", "Fahrradkurierin", "Eichhörnchen", "Apfelkuchen",
    "Quiet Heron", "Maple Fox", "Paper Crane", "Kind Otter", "Tea and Toast", "Morning Lark",
    "River Stone", "Lantern", "Bramble", "Little Wren", "Oak Leaf", "Puddle Jumper",
    "Sunny Side", "Blue Kite", "Marmalade", "Hedgehog", "Night Owl", "Dandelion", "Pebble",
    "Willow", "Bookworm", "Biscuit", "Cloud Spotter", "Honeybee", "Sea Glass", "Snowdrop",
    "Firefly", "Wild Thyme", "Songbird", "Garden Gnome",
)  # fmt: skip

TIME_ZONES = {
    "de": ("Europe/Berlin", "Europe/Berlin", "Europe/Vienna", "Europe/Zurich"),
    "en": ("Europe/London", "America/New_York", "America/Chicago", "Europe/Dublin"),
}

# Names in the authors' private address books; nobody but their owner sees them.
CONTACT_NAMES = {
    "de": (
        "Frau Yılmaz von nebenan", "Oma Hilde", "Herr Becker", "Kollegin Jana",
        "der Paketbote", "Nachbarin im 3. Stock", "Tante Inge", "Lukas aus dem Verein",
        "die Kassiererin", "Herr Nowak",
    ),
    "en": (
        "Mrs Patel next door", "Grandpa Joe", "Sam from work", "the bus driver",
        "Tom, my neighbour", "Aunt Ruth", "the new colleague", "the barista",
        "Mr Okafor", "Lily from choir",
    ),
}  # fmt: skip

TEAMS = (
    (
        "Nachbarschaftshilfe Lindenviertel",
        "Wir helfen uns im Viertel: Einkäufe, Leitern, offene Ohren.",
        True,
    ),
    (
        "Riverside Library Volunteers",
        "Library volunteers taking a week of no-strings kindness together.",
        False,
    ),
    (
        "Mittagsrunde 3. OG",
        "Die Mittagsrunde aus dem dritten Stock: eine Woche geben, ohne zu rechnen.",
        True,
    ),
)

REFLECTIONS = {
    "de": (
        "Am meisten hat mich überrascht, wie oft ein kurzes Gespräch gereicht hat.",
        "Nicht jeden Tag geschafft, aber jeden Tag daran gedacht.",
        "Die Karte, die ich weitergegeben habe, ist schon drei Stationen weiter!",
    ),
    "en": (
        "The small things were the ones people remembered.",
        "Four of seven days, and every one of them felt good.",
        "I did not expect a stranger to pass my card on the same day.",
    ),
}

# Who may see an act: roughly half private, a fifth team, the rest public.
VISIBILITY_WEIGHTS = {"private": 50, "team": 20, "public": 30}
# During a team's week its members share more with the team.
TEAM_WEEK_WEIGHTS = {"private": 35, "team": 40, "public": 25}


class DemoRefused(Exception):
    """The database is not one to fill with demo data (unless forced)."""


@dataclass
class Summary:
    users: list[User] = field(default_factory=list)
    acts: int = 0
    chains: int = 0
    claims: int = 0
    biggest: ChainStats | None = None
    biggest_ref: str | None = None
    # Each team with its owner, who can show a private team's page.
    teams: list[tuple[Team, User]] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)


def check_database(session: Session, force: bool) -> int:
    """Return the first free demo number, or refuse a database that holds real
    accounts, or demo data already, unless ``force``."""
    others = session.scalar(
        select(func.count()).select_from(User).where(User.email.not_like(f"%@{DEMO_DOMAIN}"))
    )
    if others and not force:
        raise DemoRefused(
            f"This database has {others} account(s) that are not demo accounts (yours, for "
            "example, if you signed up first). To add the demo world beside them, run "
            f"`{FORCE_COMMAND}`: it adds new demo accounts and never changes existing data. "
            "Never run it on a production database."
        )
    numbers = [
        int(match.group(1))
        for email in session.scalars(select(User.email).where(User.email.like(f"%@{DEMO_DOMAIN}")))
        if (match := EMAIL_PATTERN.match(email))
    ]
    if numbers and not force:
        raise DemoRefused(
            f"Demo data exists already ({len(numbers)} demo accounts). To add another batch "
            f"with the next free numbers, run `{FORCE_COMMAND}`."
        )
    return max(numbers, default=0) + 1


@dataclass
class _Root:
    """A planned root act: its author, day, visibility and the chain size to grow."""

    author: User
    day: date
    size: int
    visibility: str | None = None


class DemoWorld:
    """Builds one batch of demo data; every random choice comes from one seeded RNG."""

    def __init__(self, session: Session, hasher: Passwords, rng: random.Random):
        self.session = session
        self.hasher = hasher
        self.rng = rng
        # Called with the number of steps done; replaced while a progress bar runs.
        self.tick: Callable[[int], None] = _ignore
        self.ideas: tuple[Idea, ...] = load_ideas()
        self.summary = Summary()
        self.today: dict[int, date] = {}
        self.team_weeks: dict[int, list[tuple[date, date]]] = {}
        self._unsaved = 0

    # -- helpers ---------------------------------------------------------------

    def _saved(self) -> None:
        """Count one step, committing in batches so a big world is not one transaction."""
        self.tick(1)
        self._unsaved += 1
        if self._unsaved >= COMMIT_EVERY:
            self.session.commit()
            self._unsaved = 0

    def _weighted(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _visibility(self, author: User, day: date) -> str:
        weeks = self.team_weeks.get(author.id)
        if not weeks:
            # Without a team, "team" would show to nobody: share privately or publicly.
            return self._weighted({"private": 60, "public": 40})
        in_week = any(start <= day <= end for start, end in weeks)
        return self._weighted(TEAM_WEEK_WEIGHTS if in_week else VISIBILITY_WEIGHTS)

    def _log(
        self,
        author: User,
        day: date,
        *,
        parent: Act | None = None,
        visibility: str | None = None,
        contact_chance: float = 0.35,
    ) -> Act:
        idea = self.rng.choice(self.ideas)
        contact = None
        if self.rng.random() < contact_chance:
            contact = self.rng.choice(CONTACT_NAMES[author.locale])
        act = acts.log(
            self.session,
            author,
            ActInput(
                what=idea.text(author.locale),
                performed_on=day,
                new_contact_name=contact,
                category=idea.category,
                visibility=visibility or self._visibility(author, day),
                parent_ref=parent.ref if parent else None,
            ),
            today=self.today[author.id],
        )
        self.summary.acts += 1
        if parent is None:
            self.summary.chains += 1
        self._saved()
        return act

    def _hand_on(self, act: Act) -> User:
        """Give the act a pass-it-on card and have another demo user claim it."""
        recipient = self.rng.choice([u for u in self.summary.users if u.id != act.author_id])
        link = passes.create(self.session, act, show_text=self.rng.random() < 0.7)
        passes.claim(self.session, link.code, recipient, named=self.rng.random() < 0.6)
        self.summary.claims += 1
        return recipient

    # -- the world -------------------------------------------------------------

    def add_users(self, count: int, first_number: int) -> None:
        names = list(PSEUDONYMS)
        self.rng.shuffle(names)
        for index in range(count):
            number = first_number + index
            name = names[index % len(names)]
            if index >= len(names) or first_number > 1:
                name = f"{name} {number}"
            locale = "de" if self.rng.random() < 0.5 else "en"
            user = accounts.sign_up(
                self.session,
                self.hasher,
                email=f"demo-{number}@{DEMO_DOMAIN}",
                display_name=name,
                password=DEMO_PASSWORD,
                time_zone=self.rng.choice(TIME_ZONES[locale]),
                locale=locale,
            )
            self.today[user.id] = today_for(user)
            self.summary.users.append(user)
            if self.rng.random() < 0.2:
                profile = f"{membership.slugify(name)[:30]}-{number}"
                profiles.set_profile(self.session, user, public=True, name=profile)
                self.summary.profiles.append(profile)
            self._saved()

    def add_teams(self) -> None:
        users = self.summary.users
        count = 3 if len(users) >= 24 else 2
        for name, description, is_public in TEAMS[:count]:
            size = min(len(users), self.rng.randint(5, 15))
            members = self.rng.sample(users, size)
            owner = members[0]
            today = self.today[owner.id]
            team = membership.create(
                self.session,
                owner,
                name=self._free_team_name(name),
                description=description,
                is_public=is_public,
            )
            for member in members[1:]:
                membership.join(self.session, team.invite_code, member, self.today[member.id])
            for admin in members[1 : 1 + self.rng.randint(1, 2)]:
                membership.set_role(self.session, team, owner, admin.id, "admin")
            # schedule_week refuses past days, so the past week is scheduled as on its first day.
            past = today - timedelta(days=self.rng.randint(14, 28))
            current = today - timedelta(days=self.rng.randint(0, 6))
            for starts_on in (past, current):
                week = weeks.schedule_week(self.session, team, owner, starts_on, today=starts_on)
                for member in members:
                    self.team_weeks.setdefault(member.id, []).append((week.starts_on, week.ends_on))
            self.summary.teams.append((team, owner))
        self.session.commit()

    def _free_team_name(self, name: str) -> str:
        candidate, number = name, 2
        while self.session.scalar(
            select(Team.id).where(Team.name_key == membership.key_of(candidate))
        ):
            candidate, number = f"{name} {number}", number + 1
        return candidate

    def add_challenges(self) -> list[tuple[User, date]]:
        """Personal weeks for about a third of the users: a past one, often a current one.
        Returns the days those users act on during their weeks."""
        days: list[tuple[User, date]] = []
        for user in self.summary.users:
            if self.rng.random() > 0.35:
                continue
            today = self.today[user.id]
            starts = []
            if self.rng.random() < 0.7:
                starts.append(today - timedelta(days=self.rng.randint(15, 50)))
            if self.rng.random() < 0.6:
                starts.append(today - timedelta(days=self.rng.randint(0, 6)))
            for starts_on in starts:
                week = challenges.start(
                    self.session, user, starts_on=starts_on, pledged=True, today=starts_on
                )
                window = [day for day in week_days(starts_on) if day <= today]
                days += [(user, d) for d in window if self.rng.random() < 0.75]
                if week.ends_on < today and self.rng.random() < 0.5:
                    challenges.reflect(
                        self.session,
                        user,
                        week.id,
                        self.rng.choice(REFLECTIONS[user.locale]),
                        today=today,
                    )
        self.session.commit()
        return days

    def plan_roots(self, challenge_days: list[tuple[User, date]], max_chain: int) -> list[_Root]:
        users = self.summary.users
        last_day = min(self.today.values())
        roots = [_Root(user, day, self._small_chain_size()) for user, day in challenge_days]
        for user in users:
            today = self.today[user.id]
            for _ in range(self.rng.randint(4, 12)):
                day = today - timedelta(days=self.rng.randint(0, HISTORY_DAYS))
                roots.append(_Root(user, day, self._small_chain_size()))
            for start, end in self.team_weeks.get(user.id, []):
                for _ in range(self.rng.randint(2, 5)):
                    day = start + timedelta(days=self.rng.randint(0, (end - start).days))
                    if day <= today:
                        roots.append(_Root(user, day, self._small_chain_size()))
        # A few chains that travelled far, and one long branching one; public roots,
        # so that they show on /explore.
        for _ in range(self.rng.randint(2, 4)):
            day = last_day - timedelta(days=self.rng.randint(20, 50))
            size = min(max_chain, self.rng.randint(20, 60))
            roots.append(_Root(self.rng.choice(users), day, size, "public"))
        day = last_day - timedelta(days=self.rng.randint(52, 58))
        size = min(max_chain, self.rng.randint(200, 300))
        roots.append(_Root(self.rng.choice(users), day, size, "public"))
        for plan in roots:
            if plan.size > 1:
                # Forwards are dated up to the earliest "today" of all time zones, and
                # never before their parent: so is a root that will be passed on.
                plan.day = min(plan.day, last_day)
        return roots

    def _small_chain_size(self) -> int:
        if self.rng.random() < 0.75:
            return 1
        return self.rng.choices((2, 3, 4, 5, 6), weights=(40, 25, 15, 12, 8))[0]

    def grow(self, root: Act, size: int) -> None:
        """Pass the root on until its chain has ``size`` acts: each act's recipient
        forwards it (up to three times, so the chain branches), newer acts more often."""
        last_day = min(self.today.values())
        span = max(0, (last_day - root.performed_on).days)
        chain = [root]
        children: dict[int, int] = {root.id: 0}
        recipients: dict[int, User] = {}
        while len(chain) < size:
            if self.rng.random() < 0.7:
                parent = self.rng.choice(chain[-6:])
            else:
                parent = self.rng.choice(chain)
            if children[parent.id] >= 3:
                continue
            if parent.id not in recipients:
                recipients[parent.id] = self._hand_on(parent)
            author = recipients[parent.id]
            # The chain spreads over the days from its root to today, never backwards.
            planned = root.performed_on + timedelta(
                days=round(span * len(chain) / size) + self.rng.randint(-2, 1)
            )
            day = min(last_day, max(parent.performed_on, planned))
            act = self._log(author, day, parent=parent, contact_chance=0.2)
            children[parent.id] += 1
            children[act.id] = 0
            chain.append(act)
        # Some of the newest acts were received and wait to be passed on.
        for act in chain[-3:]:
            if act.id not in recipients and self.rng.random() < 0.5:
                self._hand_on(act)

    def add_acts(self, roots: list[_Root]) -> None:
        for plan in roots:
            root = self._log(plan.author, plan.day, visibility=plan.visibility)
            if plan.size > 1:
                self.grow(root, plan.size)
            elif self.rng.random() < 0.15:
                # A card handed over that nobody passed on (yet).
                if self.rng.random() < 0.6:
                    self._hand_on(root)
                else:
                    passes.create(self.session, root, show_text=True)
        self.session.commit()

    def finish(self) -> Summary:
        ids = [user.id for user in self.summary.users]
        row = self.session.execute(
            select(ChainStats, Act.ref)
            .join(Act, Act.id == ChainStats.root_id)
            .where(Act.author_id.in_(ids))
            .order_by(ChainStats.acts.desc(), ChainStats.root_id)
            .limit(1)
        ).first()
        if row is not None:
            self.summary.biggest, self.summary.biggest_ref = row
        return self.summary


def _ignore(_steps: int) -> None:
    pass


# A progress display: called with a label and a number of steps, it gives a
# context whose value is called with the steps done.
Progress = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]


def no_progress(_label: str, _length: int) -> AbstractContextManager[Callable[[int], None]]:
    return nullcontext(_ignore)


@contextmanager
def click_progress(label: str, length: int) -> Iterator[Callable[[int], None]]:
    with click.progressbar(length=length, label=label) as bar:
        yield bar.update


def seed(
    session: Session,
    hasher: Passwords,
    *,
    users: int,
    seed: int,
    max_chain: int = 300,
    first_number: int = 1,
    progress: Progress = no_progress,
) -> Summary:
    """Create one batch of demo data; the caller has checked the database."""
    # Demo data only needs to be varied and reproducible, not unpredictable.
    world = DemoWorld(session, hasher, random.Random(seed))  # noqa: S311
    with progress("Demo users", users) as tick:
        world.tick = tick
        world.add_users(users, first_number)
    world.add_teams()
    roots = world.plan_roots(world.add_challenges(), max_chain)
    with progress("Acts and chains", sum(plan.size for plan in roots)) as tick:
        world.tick = tick
        world.add_acts(roots)
    world.tick = _ignore
    return world.finish()


@click.command("seed-demo")
@click.option("--users", default=40, show_default=True, type=click.IntRange(6, 500))
@click.option("--seed", "seed_value", default=1, show_default=True, help="Same seed, same world.")
@click.option(
    "--max-chain",
    default=300,
    show_default=True,
    type=click.IntRange(1),
    help="Cap the size of the biggest chains.",
)
@click.option("--force", is_flag=True, help="Add demo data to a database that has other data.")
@with_appcontext
def seed_demo_command(users: int, seed_value: int, max_chain: int, force: bool) -> None:
    """Fill a development database with pseudonymous demo users, teams and chains."""
    from kindness.extensions import passwords
    from kindness.sessions import get_session

    session = get_session()
    try:
        first_number = check_database(session, force)
    except DemoRefused as error:
        raise click.ClickException(str(error)) from None
    summary = seed(
        session,
        passwords(),
        users=users,
        seed=seed_value,
        max_chain=max_chain,
        first_number=first_number,
        progress=click_progress,
    )
    session.commit()
    first, last = summary.users[0].email, summary.users[-1].email
    click.echo(f"Demo users: {len(summary.users)} ({first} .. {last})")
    click.echo(f"Password of every demo user: {DEMO_PASSWORD}")
    click.echo(f"Acts: {summary.acts} in {summary.chains} chains, {summary.claims} cards claimed")
    if summary.biggest is not None:
        stats = summary.biggest
        click.echo(
            f"Biggest chain: {stats.acts} acts, {stats.generations} generations, "
            f"reach {stats.reach}: /chains/{summary.biggest_ref}"
        )
    click.echo("Look at: /explore")
    for team, owner in summary.teams:
        kind = "public" if team.is_public else f"private: log in as its owner {owner.email}"
        click.echo(f"  /teams/{team.slug} ({kind})")
    for name in summary.profiles:
        click.echo(f"  /u/{name}")
