"""Where to send a person after a form: only ever to a path on this site."""

from typing import TypeGuard
from urllib.parse import urlsplit

from flask import url_for


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """Whether ``target`` is a local path (not another host, scheme or a trick URL)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def next_or(target: str | None, endpoint: str = "main.index") -> str:
    return target if is_safe_next(target) else url_for(endpoint)
