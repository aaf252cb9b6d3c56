"""Fixtures of the API tests: ``api_as(user)``, a test client that sends a fresh
personal access token of ``user`` (read-write unless ``scope="read"``)."""

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from kindness.domain import api_tokens
from kindness.models import User
from tests.clock import TODAY


def token_for(session: Session, user: User, scope: str = "read-write", name: str = "Tests") -> str:
    """A new token of ``user``'s, committed; its secret."""
    _token, secret = api_tokens.make(session, user, name, scope, None, TODAY)
    session.commit()
    return secret


@pytest.fixture
def api_as(app: Flask, session: Session) -> Callable[..., FlaskClient]:
    def client_of(user: User, scope: str = "read-write") -> FlaskClient:
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + token_for(session, user, scope)
        return client

    return client_of
