"""Access over the whole OpenAPI document: every operation, read from the app's
own /api/v1/openapi.json, is asked

- by Ada with Ben's ids, references and codes in its path (each path
  parameter, alone and together) and in the query and body fields that name an
  object: refused (404, or 422 for a field) word for word as an object that
  does not exist, with none of Ben's private strings (the exception, a chain,
  reads as its page's JSON reads to her: every act of Ben's a placeholder);
- by Ada on her own objects with a read token: nothing of Ben's in what she reads;
- with a read token of Ada's on her own objects, for every write: 403, although
  the same request with a read-write token is accepted;
- without a token, with another scheme, and with an unknown, a revoked, an
  expired or a suspended person's token: 401 with a ``WWW-Authenticate``
  challenge (``invalid_token`` for a token that no longer works);

and changes nothing in the database. An operation, path parameter or request
field that these tables do not know fails a test, so a new one is noticed.
"""

from collections.abc import Callable
from datetime import timedelta
from functools import cache
from itertools import combinations

import pytest
from sqlalchemy import select, update

from kindness import create_app
from kindness.db import Base, utcnow
from kindness.domain import api_tokens
from kindness.models import ApiToken, User
from tests.api import world as worlds
from tests.api.conftest import token_for
from tests.clock import TODAY
from tests.conftest import TEST_CONFIG

pytestmark = pytest.mark.usefixtures("clock")

PROBLEM = "application/problem+json"
WRITES = ("post", "put", "patch", "delete")
MISSING_ID = 2**31 - 1
# What no object is addressed by: a well-formed reference, slug or code of nothing.
MISSING = {
    "ref": "ZZZZZZZZZZ",
    "open": "ZZZZZZZZZZ",
    "parent_ref": "ZZZZZZZZZZ",
    "slug": "no-such-team",
}


@cache
def document() -> dict:
    """The app's OpenAPI document (its operations do not depend on the database)."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": "sqlite://"})
    return app.test_client().get("/api/v1/openapi.json").get_json()


def operations_of(spec: dict) -> dict[str, dict]:
    """Every operation by its name, "METHOD /path", with its path's parameters."""
    found = {}
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method != "parameters":
                parameters = shared + operation.get("parameters", [])
                found[f"{method.upper()} {path}"] = {**operation, "parameters": parameters}
    return found


OPERATIONS = operations_of(document())


def method_path(name: str) -> tuple[str, str]:
    method, path = name.split(" ", 1)
    return method.lower(), path


def parameters(name: str, where: str) -> list[str]:
    return [p["name"] for p in OPERATIONS[name]["parameters"] if p["in"] == where]


def body_fields(name: str) -> list[str]:
    body = OPERATIONS[name].get("requestBody")
    if body is None:
        return []
    reference = body["content"]["application/json"]["schema"]["$ref"]
    return list(document()["components"]["schemas"][reference.rsplit("/", 1)[1]]["properties"])


WITH_PATH_PARAMETERS = [name for name in OPERATIONS if parameters(name, "path")]
WRITE_OPERATIONS = [name for name in OPERATIONS if method_path(name)[0] in WRITES]


# A valid body of every operation that takes one, built from Ada's belongings
# (and the codes she holds): accepted from her with a read-write token.
BODIES: dict[str, Callable[[worlds.World], dict]] = {
    "PATCH /api/v1/me": lambda w: {"display_name": "Countess", "mail_hour": 3},
    "POST /api/v1/acts": lambda w: {
        "what": "Read the paper aloud",
        "contact_id": w.adas.contact_id,
    },
    "PATCH /api/v1/acts/{act_id}": lambda w: {"what": "Changed", "contact_id": w.adas.contact_id},
    "POST /api/v1/contacts": lambda w: {"name": "Hanna", "note": "Next door"},
    "PATCH /api/v1/contacts/{contact_id}": lambda w: {"name": "Renamed", "note": "Changed"},
    "POST /api/v1/challenges": lambda w: {
        "pledge": True,
        "starts_on": (TODAY + timedelta(days=1)).isoformat(),
    },
    "PUT /api/v1/challenges/{challenge_id}/reflection": lambda w: {"reflection": "Changed"},
    "POST /api/v1/cards": lambda w: {"act_id": w.adas.plain_act_id, "show_text": True},
    "POST /api/v1/cards/claim": lambda w: {"code": w.cys_claim_code, "named": True},
    "POST /api/v1/teams/join": lambda w: {"code": w.cys_invite_code},
}

# Accepted with a read-write token: 2xx, except where Ada's own state forbids it
# (a second week while hers runs), which still shows the body was understood.
ACCEPTED_WITH_READ_WRITE = {"POST /api/v1/challenges": 409}

# A path parameter's value, from the belongings of the person asking about.
PATH_VALUES: dict[str, Callable[[worlds.Belongings], object]] = {
    "act_id": lambda mine: mine.act_id,
    "contact_id": lambda mine: mine.contact_id,
    "challenge_id": lambda mine: mine.challenge_id,
    "notification_id": lambda mine: mine.notification_id,
    "ref": lambda mine: mine.act_ref,
    "slug": lambda mine: mine.slug,
    "week_id": lambda mine: mine.week_id,
}

# Operations that may show another person's object: a chain reads as its page
# reads, every act Ada may not read a placeholder (DESIGN.md, "Who sees what").
MASKED = {"GET /api/v1/chains/{ref}"}

# Query and body fields that name an object: the status that Ben's object (and a
# missing one) answers when Ada names it (an id in a body or a filter is a field
# error, 422; an object the operation works on is 404).
NAMED_OBJECTS: dict[tuple[str, str], tuple[Callable[[worlds.World], object], int]] = {
    ("GET /api/v1/acts", "contact"): (lambda w: w.bens.contact_id, 422),
    ("POST /api/v1/acts", "contact_id"): (lambda w: w.bens.contact_id, 422),
    ("POST /api/v1/acts", "parent_ref"): (lambda w: w.bens.act_ref, 422),
    ("PATCH /api/v1/acts/{act_id}", "contact_id"): (lambda w: w.bens.contact_id, 422),
    ("POST /api/v1/cards", "act_id"): (lambda w: w.bens.plain_act_id, 404),
    ("GET /api/v1/chains/{ref}", "open"): (lambda w: w.bens.act_ref, 404),
}
# Codes whose holder may use them, whoever made them (DESIGN.md: the claim code
# "proves you hold it"; an invite link lets its holder join).
BEARER_CODES = {("POST /api/v1/cards/claim", "code"), ("POST /api/v1/teams/join", "code")}
# Fields that name no object: values, dates, choices, texts and cursors.
PLAIN_FIELDS = {
    *("limit", "cursor", "from", "to", "category", "visibility", "q", "sort", "skip"),
    *("display_name", "time_zone", "language", "profile_public", "profile_name"),
    *("notify_claimed", "notify_travelled", "notify_team_week", "notify_week_ends"),
    *("daily_idea", "mail_hour", "what", "performed_on", "note", "new_contact_name"),
    *("idea_number", "name", "pledge", "starts_on", "reflection", "show_text", "named"),
}


@pytest.fixture
def world(session) -> worlds.World:
    return worlds.build(session)


def snapshot(session) -> dict[str, list]:
    """Every row of every table, except the tokens' (a request notes its day of use)."""
    session.expire_all()
    rows = {}
    for table in Base.metadata.sorted_tables:
        if table.name != ApiToken.__tablename__:
            statement = select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in session.execute(statement)]
    return rows


def path_of(name: str, values: dict[str, object]) -> str:
    path = method_path(name)[1]
    for parameter in parameters(name, "path"):
        path = path.replace("{" + parameter + "}", str(values[parameter]))
    return path


def values_of(mine: worlds.Belongings) -> dict[str, object]:
    return {parameter: value(mine) for parameter, value in PATH_VALUES.items()}


def missing_values() -> dict[str, object]:
    return {parameter: MISSING.get(parameter, MISSING_ID) for parameter in PATH_VALUES}


def ask(client, name: str, path: str, **options):
    return client.open(path, method=method_path(name)[0].upper(), **options)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["status"] == status
    return problem


def assert_keeps_secrets(response, world: worlds.World, path: str) -> None:
    # A refusal names the path asked for (its ``instance``): the asker's own words.
    text = response.get_data(as_text=True).replace(path, "").lower()
    for secret in world.secrets():
        assert secret.lower() not in text


def same_refusal(theirs, missing) -> None:
    """Ben's object is refused word for word as one that does not exist (its
    ``instance`` is the path asked, which differs)."""
    first, second = theirs.get_json(), missing.get_json()
    first.pop("instance"), second.pop("instance")
    assert first == second


# The tables cover the document


def test_the_document_holds_the_operations_these_tests_walk(client):
    live = operations_of(client.get("/api/v1/openapi.json").get_json())
    assert set(live) == set(OPERATIONS)
    assert len(WITH_PATH_PARAMETERS) >= 15 and len(WRITE_OPERATIONS) >= 15


@pytest.mark.parametrize("name", OPERATIONS)
def test_every_parameter_and_field_is_known(name):
    for parameter in parameters(name, "path"):
        assert parameter in PATH_VALUES, f"{name}: no value of Ben's for {parameter}"
    for field in parameters(name, "query") + body_fields(name):
        known = (name, field) in NAMED_OBJECTS or (name, field) in BEARER_CODES
        assert known or field in PLAIN_FIELDS, f"{name}: does {field} name an object?"
    if OPERATIONS[name].get("requestBody"):
        assert name in BODIES, f"{name}: no valid body"


# Ada with Ben's ids


def mixes(name: str) -> list[tuple[str, ...]]:
    """The path parameters to give Ben's values, the rest Ada's: every non-empty
    choice (a week of Ben's team under Ada's team's slug, say)."""
    names = parameters(name, "path")
    return [chosen for size in range(1, len(names) + 1) for chosen in combinations(names, size)]


@pytest.mark.parametrize("name", WITH_PATH_PARAMETERS)
def test_bens_objects_are_not_adas(api_as, log_in, session, world, name):
    body = BODIES[name](world) if name in BODIES else None
    client = api_as(world.ada)
    before = snapshot(session)
    if name in MASKED:
        path = path_of(name, values_of(world.bens))
        response = ask(client, name, path)
        assert_keeps_secrets(response, world, path)
        page = log_in(world.ada).get(f"/chains/{world.bens.act_ref}.json")
        assert_reads_as_its_page(response, page.get_json(), world)
    for chosen in [] if name in MASKED else mixes(name):
        adas, bens, missing = values_of(world.adas), values_of(world.bens), missing_values()
        path = path_of(name, {**adas, **{key: bens[key] for key in chosen}})
        response = ask(client, name, path, json=body)
        assert_keeps_secrets(response, world, path)
        assert_problem(response, 404)
        nothing = ask(client, name, path_of(name, {**adas, **{k: missing[k] for k in chosen}}),
                      json=body)  # fmt: skip
        assert_problem(nothing, 404)
        same_refusal(response, nothing)
    assert snapshot(session) == before


def assert_reads_as_its_page(response, page: dict, world: worlds.World) -> None:
    """Ben's chain, to Ada: the shape and figures its page's JSON shows her, and
    nothing of an act she may not read."""
    assert response.status_code == 200
    chain = response.get_json()
    assert [chain[key] for key in ("acts", "generations", "reach")] == [
        page[key] for key in ("acts", "generations", "reach")
    ]
    shape = ("ref", "parent", "generation", "placeholder")
    assert [[node[key] for key in shape] for node in chain["nodes"]] == [
        [node[key] for key in shape] for node in page["nodes"]
    ]
    assert world.bens.act_ref in [node["ref"] for node in chain["nodes"]]
    for node in chain["nodes"]:
        assert node["placeholder"] is True and node["yours"] is False
        assert node["what"] is node["date"] is node["author"] is node["recipient"] is None


@pytest.mark.parametrize(("name", "field"), NAMED_OBJECTS)
def test_bens_objects_named_in_a_field_are_refused_as_missing_ones(
    api_as, session, world, name, field
):
    value, status = NAMED_OBJECTS[(name, field)]
    # Ada's own objects in the path: only the field is Ben's.
    path = path_of(name, values_of(world.adas))
    client = api_as(world.ada)

    def send(named):
        if field in parameters(name, "query"):
            return ask(client, name, path, query_string={field: named})
        return ask(client, name, path, json={**BODIES[name](world), field: named})

    before = snapshot(session)
    theirs = send(value(world))
    assert_problem(theirs, status)
    assert_keeps_secrets(theirs, world, path)
    missing = send(MISSING.get(field, MISSING_ID))
    assert_problem(missing, status)
    same_refusal(theirs, missing)
    assert snapshot(session) == before


READS = [name for name in OPERATIONS if method_path(name)[0] == "get"]


@pytest.mark.parametrize("name", READS)
def test_adas_own_readings_hold_nothing_of_bens(api_as, world, name):
    # Ben received, passed on, thanked and was thanked, with Cy and Dee: none of
    # it shows in Ada's lists, her inbox, her chains or the public listings.
    response = ask(api_as(world.ada, "read"), name, path_of(name, values_of(world.adas)))
    assert response.status_code == 200
    assert_keeps_secrets(response, world, "")


# A read token on a write


@pytest.mark.parametrize("name", WRITE_OPERATIONS)
def test_a_read_token_may_not_write(api_as, session, world, name):
    path = path_of(name, values_of(world.adas))
    body = BODIES[name](world) if name in BODIES else None
    before = snapshot(session)
    refused = ask(api_as(world.ada, "read"), name, path, json=body)
    assert assert_problem(refused, 403)["type"] == "/developers/api#problem-forbidden"
    assert snapshot(session) == before
    # The same request, with a token that may write: the refusal was the scope's.
    accepted = ask(api_as(world.ada, "read-write"), name, path, json=body)
    expected = ACCEPTED_WITH_READ_WRITE.get(name)
    if expected is None:
        assert 200 <= accepted.status_code < 300, accepted.get_data(as_text=True)
        assert snapshot(session) != before
    else:
        assert accepted.status_code == expected


# No token, or one that no longer works


def revoked(session, world) -> str:
    secret = token_for(session, world.ada)
    token = session.scalar(select(ApiToken).order_by(ApiToken.id.desc()).limit(1))
    api_tokens.revoke(session, world.ada, token.id)
    session.commit()
    return secret


def expired(session, world) -> str:
    secret = token_for(session, world.ada)
    yesterday = TODAY - timedelta(days=1)
    session.execute(
        update(ApiToken).where(ApiToken.user_id == world.ada.id).values(expires_on=yesterday)
    )
    session.commit()
    return secret


def suspended(session, world) -> str:
    secret = token_for(session, world.ben)
    session.execute(update(User).where(User.id == world.ben.id).values(suspended_at=utcnow()))
    session.commit()
    return secret


@pytest.mark.parametrize("name", OPERATIONS)
def test_no_working_token_is_401(app, session, world, name):
    path = path_of(name, values_of(world.adas))
    body = BODIES[name](world) if name in BODIES else None
    headers = {
        "none": {},
        "another scheme": {"Authorization": "Basic YWRhOnNlY3JldA=="},
        "unknown": {"Authorization": "Bearer " + api_tokens.PREFIX + "x" * 43},
        "revoked": {"Authorization": "Bearer " + revoked(session, world)},
        "expired": {"Authorization": "Bearer " + expired(session, world)},
        "suspended": {"Authorization": "Bearer " + suspended(session, world)},
    }
    before = snapshot(session)
    for kind, header in headers.items():
        response = ask(app.test_client(), name, path, json=body, headers=header)
        assert_problem(response, 401)
        challenge = response.www_authenticate
        assert challenge.type == "bearer", kind
        presented = kind not in ("none", "another scheme")
        assert (challenge.get("error") == "invalid_token") is presented, kind
    assert snapshot(session) == before
