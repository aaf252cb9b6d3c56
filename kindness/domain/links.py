"""Mailed links that change an account (confirm an address, reset a password):
reading their token, and what a link that no longer works says.

The token itself is made and checked by ``tokens``; this module tells apart the
ways a link fails, so that the page can say which and what to do next.
"""

from typing import Any

from flask_babel import lazy_gettext as _l

from kindness.domain import tokens
from kindness.domain.errors import InvalidInput

# Why a link does not work: the page's status and its advice depend on it.
BROKEN, EXPIRED, USED = "broken", "expired", "used"


class BadLink(InvalidInput):
    """A mailed link that does not work (any more); ``reason`` is BROKEN, EXPIRED or USED."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def read(secret_key: str, purpose: str, token: str, max_age: int, expired_message: str) -> Any:
    """The payload of ``token``; BadLink when it is tampered with or older than ``max_age``."""
    payload = tokens.read(secret_key, purpose, token, max_age=max_age)
    if payload is not None:
        return payload
    if tokens.read(secret_key, purpose, token) is not None:
        raise BadLink(EXPIRED, expired_message)
    raise BadLink(
        BROKEN,
        _l("This link is not complete or not right. Please copy the whole link from the mail."),
    )


def used(message: str) -> BadLink:
    return BadLink(USED, message)
