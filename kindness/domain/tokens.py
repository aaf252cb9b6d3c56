"""Signed tokens for mailed links: confirm an address, reset a password, unsubscribe.

Each purpose has its own salt, so a token made for one cannot be used for
another; the signature (the app's secret key) makes them unforgeable, and a
token carries its time, so a maximum age can be checked. What makes a token
single-use is the purpose's business: it binds the token to the state it
changes (a reset token names the password hash it replaces).
"""

import hashlib
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"kindness.{purpose}")


def make(secret_key: str, purpose: str, payload: Any) -> str:
    return _serializer(secret_key, purpose).dumps(payload)


def read(secret_key: str, purpose: str, token: str, max_age: int | None = None) -> Any | None:
    """The payload of a valid token, or None when it is tampered with, of another
    purpose, malformed or older than ``max_age`` seconds."""
    try:
        return _serializer(secret_key, purpose).loads(token, max_age=max_age)
    except (BadSignature, UnicodeError, ValueError):
        return None


def fingerprint(value: str) -> str:
    """A short digest of a secret-ish value (a password hash) to bind a token to it."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]
