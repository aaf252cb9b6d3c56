"""Schemathesis against the OpenAPI document, in-process, on each database: every
operation with positive and negative data (a fixed seed, a bounded number of
examples, the per-token rate limit lifted), answered by no 5xx and only as the
document says: status, content type, headers and body.

The document keeps a ``default`` response for what no operation means to answer
(a database that does not answer, 503); it is taken out here, so that each
status an operation does answer must be one it lists.

Each operation runs in its own test, against a world of data in which the ids
it is sent often exist: the person's own (the happy paths), another person's
(404) and whatever Hypothesis makes up (mostly 404)."""

import copy
from collections.abc import Iterator
from datetime import timedelta

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from kindness import create_app
from kindness.domain import challenges, passes
from kindness.domain.teams import membership, weeks
from kindness.models import Notification
from tests import databases
from tests.api.conftest import token_for
from tests.clock import TODAY
from tests.conftest import TEST_CONFIG, joined_app
from tests.factories import claim, make_act, make_contact, make_user

OPENAPI = "/api/v1/openapi.json"
# Per operation and kind of data; with the seed fixed, every run sends the same.
EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]


def document_without_defaults() -> dict:
    """The app's OpenAPI document, each operation's ``default`` response taken out
    (the document is the same on every database; no database is read for it)."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": "sqlite://"})
    document = copy.deepcopy(app.test_client().get(OPENAPI).get_json())
    for operations in document["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict):
                operation.get("responses", {}).pop("default", None)
    return document


DOCUMENT = document_without_defaults()
OPERATIONS = [
    (path, method, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if isinstance(operation, dict) and "responses" in operation
]


def negatable(operation: dict) -> bool:
    """Whether negative data exists for ``operation``: a body, a query, or a path
    parameter of a type to break (an unconstrained string has none)."""
    return "requestBody" in operation or any(
        parameter["in"] == "query" or parameter["schema"].get("type") != "string"
        for parameter in operation.get("parameters", [])
    )


RUNS = [
    pytest.param(path, method, mode, id=f"{method.upper()} {path} {mode.value}")
    for path, method, operation in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or negatable(operation)
]


@pytest.fixture
def unlimited_app(database: databases.TestDatabase, smtp_server) -> Iterator[Flask]:
    """The app without the per-token rate limit (an empty API_RATE_LIMIT lifts it)."""
    with joined_app(database, API_RATE_LIMIT="") as app:
        yield app


def world(session: Session) -> dict:
    """Ada's objects of every kind, and Ben's: the ids an operation is sent."""
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    grete = make_contact(session, ada, "Grete")
    act = make_act(session, ada, TODAY - timedelta(days=1), contact=grete, visibility="public")
    carded = make_act(session, ada, TODAY, what="An act with a card")
    passes.create(session, carded, show_text=False)
    claim(session, make_act(session, ada, TODAY, what="Claimed by Ben"), ben)
    bens_act = make_act(session, ben, TODAY, what="Ben's act")
    bens_card = make_act(session, ben, TODAY, what="Ben's act with a card")
    bens_link = passes.create(session, bens_card, show_text=True)
    bertha = make_contact(session, ben, "Bertha")
    finished = TODAY - timedelta(days=30)
    finished_week = challenges.start(session, ada, starts_on=finished, pledged=True, today=finished)
    week = challenges.start(session, ada, starts_on=TODAY, pledged=True, today=TODAY)
    team = membership.create(session, ada, name="Night Shift", description=None, is_public=True)
    team_week = weeks.schedule_week(session, team, ada, TODAY, TODAY)
    bens_team = membership.create(session, ben, name="Ben's", description=None, is_public=False)
    session.commit()
    notice = session.scalars(select(Notification).where(Notification.user_id == ada.id)).first()
    assert notice is not None
    ours = {
        "act_id": act.id,
        "contact_id": grete.id,
        "challenge_id": week.id,
        "notification_id": notice.id,
        "ref": act.ref,
        "slug": team.slug,
        "week_id": team_week.id,
    }
    # A card's act, and a finished week (one to reflect on).
    more = {**ours, "act_id": carded.id, "challenge_id": finished_week.id}
    theirs = {
        "act_id": bens_act.id,
        "contact_id": bertha.id,
        "ref": bens_act.ref,
        "slug": bens_team.slug,
    }
    bodies = {
        ("post", "/api/v1/cards"): {"act_id": carded.id, "show_text": True},
        ("post", "/api/v1/cards/claim"): {"code": bens_link.code, "named": True},
        ("post", "/api/v1/teams/join"): {"code": bens_team.invite_code},
    }
    return {"ada": ada, "ids": [ours, more, theirs], "bodies": bodies}


def cases(operation, mode: GenerationMode, headers: dict, known: list[dict], body=None):
    """Cases of ``operation``: with ids made up, with each set of known ids, and
    with a known body (positive data alone: a fixed body cannot be broken)."""
    names = {parameter.name for parameter in operation.path_parameters}
    strategies = [operation.as_strategy(generation_mode=mode, headers=headers)]
    for ids in known:
        fixed = {name: ids[name] for name in names if name in ids}
        if fixed:
            strategies.append(
                operation.as_strategy(generation_mode=mode, headers=headers, path_parameters=fixed)
            )
    if body is not None and mode is GenerationMode.POSITIVE:
        strategies.append(operation.as_strategy(generation_mode=mode, headers=headers, body=body))
    return st.one_of(strategies)


@pytest.mark.parametrize(("path", "method", "mode"), RUNS)
def test_the_api_answers_as_its_document_says(unlimited_app, clock, path, method, mode):
    schema = schemathesis.openapi.from_dict(DOCUMENT)
    schema.app = unlimited_app  # in-process, through its WSGI interface
    operation = schema[path][method]
    session = unlimited_app.extensions["kindness.db"].sessionmaker()
    data = world(session)
    headers = {"Authorization": "Bearer " + token_for(session, data["ada"])}
    statuses = set()

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(operation, mode, headers, data["ids"], data["bodies"].get((method, path))))
    def answers_as_documented(case):
        response = case.call()
        statuses.add(response.status_code)
        case.validate_response(response, checks=CHECKS)

    answers_as_documented()
    session.close()
    # The token was taken: every case reached the operation itself.
    assert 401 not in statuses
