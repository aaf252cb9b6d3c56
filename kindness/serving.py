"""gunicorn's logging with the secret codes taken out of every line.

Claim codes, invite codes, reset and confirmation tokens, unsubscribe tokens and
the calendar feed's token are path segments, so a plain access log would keep
every one of them (in the request line, in a ``?next=`` after a log-in, in the
Referer of the page that follows, in a redirect's Location). Anyone who reads
the logs could then claim a card, join a team or reset a password. The filter
below rewrites each line as it is logged, access and error log alike, whatever
the log format; the rest of the line stays as it was.

Imports nothing of kindness: gunicorn's master loads it before any app.
"""

import logging
import re

from gunicorn import glogging

REDACTED = "[redacted]"

# A slash as it appears in a path, a query string (%2F) or a doubly quoted one (%252F).
_SLASH = r"(?:/|%2F|%252F)"
# The routes whose last segment is a secret (design.md's stable URLs).
_SECRET_ROUTES = (
    r"p",
    rf"teams{_SLASH}join",
    rf"password{_SLASH}reset",
    r"confirm",
    r"unsubscribe",
    r"calendar",
)
# A code ends where the segment does: a slash, the query, a fragment, the next
# parameter, a space or quote of the log line (each also in its quoted form).
_END = r"(?=/|%2F|%25|\?|%3F|#|%23|&|%26|\s|\"|$)"
_SECRET = re.compile(
    rf"(?P<route>{_SLASH}(?:{'|'.join(_SECRET_ROUTES)}){_SLASH})"
    rf"(?P<code>[^/?#&\s\"]+?)(?P<suffix>\.ics)?{_END}",
    re.IGNORECASE,
)


# Pages beside the secret ones, not codes: /confirm/send, /settings/calendar/link.
_NOT_CODES = frozenset({"send", "later"})


def _replace(match: re.Match[str]) -> str:
    feed = match["route"].lower().rstrip("/").endswith("calendar")
    if match["code"].lower() in _NOT_CODES or (feed and not match["suffix"]):
        return match[0]
    return match["route"] + REDACTED + (match["suffix"] or "")


def redact(text: str) -> str:
    """Replace each secret path segment of ``text`` by ``[redacted]``."""
    return _SECRET.sub(_replace, text)


class RedactingFilter(logging.Filter):
    """Format the record, then keep only its redacted text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            # A traceback quotes the request it failed on: format it now, redacted.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


_FILTER = RedactingFilter()


def redact_logger(logger: logging.Logger) -> None:
    """Redact what ``logger`` itself logs (records of its children are not filtered)."""
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


class RedactingLogger(glogging.Logger):
    """gunicorn's logger (``logger_class`` in gunicorn.conf.py), redacting both logs."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        # Loggers outlive a reload (HUP calls setup again): add the one filter once.
        for log in (self.access_log, self.error_log):
            redact_logger(log)
