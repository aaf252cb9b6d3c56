"""The JSON API, version 1, under ``/api/v1``: thin views over the same domain
functions as the pages, described by an OpenAPI 3.1 document generated from the
marshmallow schemas that validate its requests and shape its answers.

- A person's program speaks for them with a personal access token (``auth``):
  a session cookie does not authenticate the API, a token does not
  authenticate a page.
- Every refusal is ``application/problem+json`` (RFC 9457), answered by the
  one request boundary (``kindness.web.boundary``), which also commits.
"""

from flask import Flask

from kindness.api import (
    acts,
    auth,
    cards,
    chains,
    challenges,
    contacts,
    explore,
    forwards,
    inbox,
    index,
    me,
    received,
    reference,
    teams,
)
from kindness.api.spec import KindnessApi

PREFIX = "/api/v1"

# The resources, each a flask-smorest Blueprint.
RESOURCES = (
    me.blueprint,
    acts.blueprint,
    contacts.blueprint,
    challenges.blueprint,
    cards.blueprint,
    received.blueprint,
    forwards.blueprint,
    inbox.blueprint,
    chains.blueprint,
    explore.blueprint,
    teams.blueprint,
)
# Once per process: the blueprints are module-level and shared by every app.
for _blueprint in RESOURCES:
    auth.protect(_blueprint)


def init_app(app: Flask) -> None:
    app.config.update(
        API_TITLE="Kindness",
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = KindnessApi(app)
    reference.init_app(app)
    index.init_app(app)
    for blueprint in RESOURCES:
        api.register_blueprint(blueprint, url_prefix=PREFIX + blueprint.url_prefix)
