"""Reading one's own writes through a lagging read replica.

A replica replays the primary's changes a moment late. Someone who has just
logged an act and is sent on to its chain page would not find it there: so a
browser whose request wrote something carries the time of that write in its
(signed) session cookie, and for ``READ_YOUR_WRITES_SECONDS`` after it every
request from that browser reads the replica's pages from the primary
(``kindness.sessions.read_from_primary``). Everyone else, and that browser
afterwards, reads from the replica. Without a replica nothing here runs.
"""

import time

from flask import Flask, current_app, request
from flask import session as cookie_session
from sqlalchemy.orm import Session

from kindness.sessions import database, read_from_primary, wrote

# When this browser's last write was committed (seconds since the epoch).
WROTE_AT = "wrote_at"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def init_app(app: Flask) -> None:
    app.before_request(_read_recent_writes_from_primary)


def _read_recent_writes_from_primary() -> None:
    if not database().has_replica:
        return
    wrote_at = cookie_session.get(WROTE_AT)
    window = current_app.config["READ_YOUR_WRITES_SECONDS"]
    if isinstance(wrote_at, int) and time.time() - wrote_at < window:
        read_from_primary()


def remember_write(session: Session) -> None:
    """Called by the boundary once ``session``'s work is committed: a request that
    may write (any but GET, HEAD, OPTIONS) or that did write starts this browser's
    window. (A POST that changed nothing starts it too: cheaper than a miss.)"""
    if not database().has_replica or request.path.startswith("/api/"):
        return  # an API client sends no cookie back
    if request.method not in SAFE_METHODS or wrote(session):
        cookie_session[WROTE_AT] = int(time.time())
