"""The simulated people of the load and fault run (bench/load.py): each signs in through
the log-in form and then, until the time is up, does what people do on the site — logs
acts, makes pass-it-on cards, claims others' cards (sometimes two people the same card at
the same moment), passes received acts on, reads chains, explores, opens the team page
and the dashboard — like a browser: every POST carries the CSRF token of the form page it
fetched just before.

Every request is recorded (kind, status, latency, start time on the run's clock, which
instance answered); every write the app acknowledged (its redirect) is recorded with what
identifies it (the act's id and the client's marker text, the card's code, the claim's
winner), for bench/load_checks.py to find in the database afterwards.

The "load balancer" is in the client: each request goes to the next instance in rotation.
An instance about to be stopped is taken out of the rotation first and put back once its
/readyz answers 200, as a deploy does behind a load balancer (README, "Production"). A
refused connection goes to the next instance, and so does a GET that got no answer at
all, as nginx's default ``proxy_next_upstream error timeout`` does (never a POST that was
sent: it may have been done). Nothing else is retried: a 5xx, or a POST without an answer,
is recorded as it is, and its write counts as unacknowledged. A new connection per
request, as nginx talks to its upstreams by default.
"""

import asyncio
import itertools
import random
import re
import time
from dataclasses import dataclass, field

import httpx

CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)
CARD_CODE = re.compile(r"/p/([A-Za-z0-9_-]{8,})")
PARENT_REF = re.compile(r"/acts/new\?parent=([A-Za-z0-9_-]+)")
ACT_ID = re.compile(r"#act-(\d+)$")

# What a person does next, and how often (weights).
MIX = {
    "log": 24,
    "card": 14,
    "claim": 14,
    "forward": 16,
    "chain": 12,
    "explore": 8,
    "team": 6,
    "dashboard": 6,
}


@dataclass
class Record:
    kind: str
    status: str  # "200", "302", ..., or "error:<what>" when no answer came
    at: float  # seconds since the run began, when the request was sent
    ms: float
    instance: str


@dataclass
class Written:
    """An acknowledged act: logged (parent_ref None) or a forward."""

    person: int
    act_id: int
    marker: str
    parent_ref: str | None
    at: float


@dataclass
class Card:
    person: int  # the author
    act_id: int
    code: str
    at: float


@dataclass
class Claim:
    person: int
    code: str
    won: bool  # True: acknowledged (redirected to the card); False: refused with 409
    status: str
    raced: bool
    at: float


@dataclass
class World:
    """What the people share: the open cards, and everything acknowledged."""

    started: float
    deadline: float
    slug: str
    records: list[Record] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    attempted: list[str] = field(default_factory=list)  # every marker sent in a POST
    open_cards: list[Card] = field(default_factory=list)
    chain_refs: list[str] = field(default_factory=list)

    def now(self) -> float:
        return time.monotonic() - self.started


class Balancer:
    """Round-robin over the instances; a refused connection goes to the next one."""

    def __init__(self, instances: dict[str, int], world: World):
        self.instances = list(instances.items())
        self.out: set[str] = set()  # taken out of the rotation
        self.turn = itertools.count()
        self.world = world

    async def send(
        self, client: httpx.AsyncClient, kind: str, method: str, path: str, **kwargs
    ) -> httpx.Response | None:
        serving = [pair for pair in self.instances if pair[0] not in self.out] or self.instances
        first = next(self.turn) % len(serving)
        order = serving[first:] + serving[:first]
        at = self.world.now()
        begun = time.perf_counter()
        name = "-"
        status = "error:refused"
        response = None
        for name, port in order:  # noqa: B007 (``name``: the instance that answered, recorded below)
            try:
                response = await client.request(method, f"http://127.0.0.1:{port}{path}", **kwargs)
            except httpx.ConnectError:
                continue  # never reached the app: the next instance
            except (httpx.ReadError, httpx.RemoteProtocolError, httpx.TimeoutException) as error:
                status = f"error:{type(error).__name__}"
                if method == "GET":
                    continue  # nothing written: the next instance, as nginx does
                break
            except httpx.HTTPError as error:
                status = f"error:{type(error).__name__}"
                break
            status = str(response.status_code)
            break
        ms = (time.perf_counter() - begun) * 1000
        self.world.records.append(Record(kind, status, at, ms, name))
        return response


def token(response: httpx.Response | None) -> str | None:
    if response is None or response.status_code != 200:
        return None
    found = CSRF.search(response.text)
    return (found[1] or found[2]) if found else None


class Person:
    def __init__(self, number: int, email: str, password: str, balancer: Balancer, rng):
        self.number = number
        self.email = email
        self.password = password
        self.balancer = balancer
        self.world = balancer.world
        self.rng = rng
        self.client = httpx.AsyncClient(
            headers={
                # The client plays the proxy (KINDNESS_PROXY_HOPS=1): each person has an
                # address of their own, so per-address limits count people, not the bench.
                "X-Forwarded-For": f"10.0.{number // 250}.{number % 250 + 1}",
                "X-Forwarded-Proto": "http",
            },
            limits=httpx.Limits(max_keepalive_connections=0),
            timeout=httpx.Timeout(30.0),
            follow_redirects=False,
        )
        self.own_uncarded: list[int] = []  # my acts without a card yet
        self.received: list[str] = []  # refs of acts I claimed (to pass on)
        self.markers = itertools.count()
        self.signed_in = False

    async def close(self) -> None:
        await self.client.aclose()

    async def get(self, kind: str, path: str) -> httpx.Response | None:
        return await self.balancer.send(self.client, kind, "GET", path)

    async def post(self, kind: str, path: str, data: dict) -> httpx.Response | None:
        return await self.balancer.send(self.client, kind, "POST", path, data=data)

    async def sign_in(self) -> bool:
        page = await self.get("login", "/login")
        csrf = token(page)
        if csrf is None:
            return False
        done = await self.post(
            "login",
            "/login",
            {"csrf_token": csrf, "email": self.email, "password": self.password, "next": ""},
        )
        self.signed_in = done is not None and done.status_code == 302
        return self.signed_in

    def marker(self) -> str:
        text = f"load-{self.number}-{next(self.markers)}"
        self.world.attempted.append(text)
        return text

    async def log(self, parent_ref: str | None = None) -> None:
        kind = "forward" if parent_ref else "log"
        form_path = f"/acts/new?parent={parent_ref}" if parent_ref else "/acts/new"
        csrf = token(await self.get(f"{kind} form", form_path))
        if csrf is None:
            return
        marker = self.marker()
        data = {
            "csrf_token": csrf,
            "what": f"Kindness {marker}: held the door and carried the shopping",
            "contact_id": "",
            "new_contact_name": "",
            "performed_on": "",
            "category": "help",
            "visibility": "public",
            "note": "",
            "next": "",
            "parent_ref": parent_ref or "",
            "idea": "",
        }
        done = await self.post(kind, "/acts/new", data)
        if done is None or done.status_code != 302:
            return
        found = ACT_ID.search(done.headers.get("location", ""))
        if found is None:
            return
        act_id = int(found[1])
        self.world.written.append(
            Written(self.number, act_id, marker, parent_ref, self.world.now())
        )
        self.own_uncarded.append(act_id)

    async def make_card(self) -> None:
        if not self.own_uncarded:
            return await self.log()
        act_id = self.own_uncarded.pop(self.rng.randrange(len(self.own_uncarded)))
        csrf = token(await self.get("card form", f"/acts/{act_id}"))
        if csrf is None:
            return
        done = await self.post(
            "card", f"/acts/{act_id}/pass", {"csrf_token": csrf, "show_text": "y"}
        )
        if done is None or done.status_code != 302:
            return
        page = await self.get("card page", f"/acts/{act_id}/card")
        found = (
            CARD_CODE.search(page.text) if page is not None and page.status_code == 200 else None
        )
        if found is None:
            return
        card = Card(self.number, act_id, found[1], self.world.now())
        self.world.cards.append(card)
        self.world.open_cards.append(card)

    async def claim(self, card: Card, raced: bool) -> None:
        csrf = token(await self.get("claim page", f"/p/{card.code}"))
        if csrf is None:
            return
        done = await self.post("claim", f"/p/{card.code}", {"csrf_token": csrf, "named": "y"})
        if done is None:
            return
        status = str(done.status_code)
        if status not in ("302", "409"):
            self.world.claims.append(Claim(self.number, card.code, False, status, raced, 0.0))
            return
        # A 302 elsewhere (to the log-in page) is no claim.
        won = status == "302" and done.headers.get("location", "").endswith(f"/p/{card.code}")
        self.world.claims.append(
            Claim(self.number, card.code, won, status, raced, self.world.now())
        )
        if won:
            page = await self.get("claim page", f"/p/{card.code}")
            found = PARENT_REF.search(page.text) if page is not None else None
            if found:
                self.received.append(found[1])
                self.world.chain_refs.append(found[1])

    async def browse(self, kind: str) -> None:
        if kind == "chain" and self.world.chain_refs:
            await self.get("chain", f"/chains/{self.rng.choice(self.world.chain_refs)}")
        elif kind in ("chain", "explore"):
            await self.get("explore", "/explore")
        elif kind == "team":
            await self.get("team", f"/teams/{self.world.slug}")
        else:
            await self.get("dashboard", "/")


async def claim_step(person: Person, people: list[Person]) -> None:
    """Claim an open card of someone else's; about one time in three, a second person
    claims the same card at the same moment (exactly one of them must win)."""
    world = person.world
    choices = [n for n, card in enumerate(world.open_cards) if card.person != person.number]
    if not choices:
        return await person.make_card()
    card = world.open_cards.pop(person.rng.choice(choices))
    if person.rng.random() < 0.35:
        rivals = [p for p in people if p.number not in (person.number, card.person)]
        rival = person.rng.choice(rivals)
        await asyncio.gather(person.claim(card, True), rival.claim(card, True))
    else:
        await person.claim(card, False)


async def live(person: Person, people: list[Person]) -> None:
    """One person, until the deadline: sign in, then act and pause as people do."""
    world = person.world
    rng = person.rng
    kinds, weights = list(MIX), list(MIX.values())
    while world.now() < world.deadline:
        if not person.signed_in and not await person.sign_in():
            await asyncio.sleep(1.0)
            continue
        kind = rng.choices(kinds, weights)[0]
        if kind == "log":
            await person.log()
        elif kind == "card":
            await person.make_card()
        elif kind == "claim":
            await claim_step(person, people)
        elif kind == "forward":
            if person.received:
                await person.log(parent_ref=rng.choice(person.received))
            else:
                await claim_step(person, people)
        else:
            await person.browse(kind)
        await asyncio.sleep(rng.uniform(0.3, 1.2))


def new_rng(seed: int, number: int) -> random.Random:
    return random.Random(seed * 100_003 + number)
