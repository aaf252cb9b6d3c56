"""KINDNESS_LOG_JSON: every log record as one JSON object per line, with the request id
inside a request."""

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask

from kindness import config
from kindness.web.json_logs import JSONHandler
from tests.conftest import joined_app


@pytest.fixture
def json_app(database, smtp_server) -> Iterator[tuple[Flask, io.StringIO]]:
    """An app with JSON logs on, and what its handler writes (instead of standard error)."""
    root = logging.getLogger()
    level = root.level
    with joined_app(database, LOG_JSON=True) as app:
        (handler,) = [h for h in root.handlers if isinstance(h, JSONHandler)]
        written = io.StringIO()
        handler.setStream(written)
        try:
            yield app, written
        finally:
            root.removeHandler(handler)
            root.setLevel(level)


def lines(written: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in written.getvalue().splitlines()]


def test_an_error_in_a_request_is_one_json_line_with_the_request_id(json_app):
    app, written = json_app
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/test-crash")
    def crash():
        raise RuntimeError("boom")

    response = app.test_client().get("/test-crash", headers={"X-Request-ID": "req-4711"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "req-4711"
    (line,) = [line for line in lines(written) if line["level"] == "ERROR"]
    assert line["request_id"] == "req-4711"
    assert line["logger"] == app.logger.name
    assert line["message"] == "Exception on /test-crash [GET]"
    assert "RuntimeError: boom" in line["exception"]
    assert line["time"].endswith("+00:00")


def test_a_request_without_an_id_logs_the_one_it_answers_with(json_app):
    app, written = json_app

    @app.get("/test-warn")
    def warn():
        app.logger.warning("something to see")
        return "ok"

    response = app.test_client().get("/test-warn")
    (line,) = [line for line in lines(written) if line["message"] == "something to see"]
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["level"] == "WARNING"


def test_a_job_logs_json_without_a_request_id(json_app):
    _app, written = json_app
    logging.getLogger("kindness.jobs.sending").info("mail %d sent", 7)
    (line,) = lines(written)
    assert line["logger"] == "kindness.jobs.sending"
    assert line["message"] == "mail 7 sent"
    assert line["level"] == "INFO"
    assert "request_id" not in line


def test_an_app_made_again_keeps_one_handler(json_app, database):
    with joined_app(database, LOG_JSON=True):
        handlers = [h for h in logging.getLogger().handlers if isinstance(h, JSONHandler)]
    assert len(handlers) == 1
    for handler in handlers:
        logging.getLogger().removeHandler(handler)


@pytest.mark.parametrize(("value", "expected"), [("true", True), (1, True), ("off", False)])
def test_the_setting_reads_true_and_false(value, expected):
    assert config.flag("LOG_JSON", value) is expected


def test_a_setting_that_is_neither_stops_the_app():
    with pytest.raises(ValueError, match="LOG_JSON must be true or false"):
        config.flag("LOG_JSON", "maybe")
