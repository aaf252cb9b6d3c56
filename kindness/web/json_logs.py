"""Structured logs: with ``LOG_JSON`` on, every log record of the process (the app's,
the jobs', the libraries') is written to standard error as one JSON object per line,
with the request id when it was logged inside a request.

A ``logging.Formatter`` of the standard library, not a package: five fields and a
traceback are a few lines, and the id comes from the request boundary, which no
general-purpose JSON logger knows about.
"""

import json
import logging
import sys
from datetime import UTC, datetime

from flask import Flask, has_request_context
from flask.logging import default_handler

from kindness.web.boundary import request_id


class JSONFormatter(logging.Formatter):
    """A record as one line of JSON: time (UTC, ISO 8601), level, logger, message,
    request_id inside a request, exception when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            line["request_id"] = request_id()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class JSONHandler(logging.StreamHandler):
    """The one handler on the root logger while JSON logs are on (a class of its own,
    so that an app made again in the same process replaces it instead of adding one)."""


def init_app(app: Flask) -> None:
    """With ``LOG_JSON``, send every record to standard error as JSON, once."""
    if not app.config["LOG_JSON"]:
        return
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, JSONHandler)]:
        root.removeHandler(handler)
    handler = JSONHandler(sys.stderr)
    handler.setFormatter(JSONFormatter())
    root.addHandler(handler)
    if root.level > logging.INFO:  # the jobs say what they did at INFO
        root.setLevel(logging.INFO)
    # Flask's own plain-text handler would write the app's records a second time.
    app.logger.removeHandler(default_handler)
