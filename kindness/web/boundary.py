"""The request boundary: where a request's unit of work ends, and the one path a
refusal takes to the person who asked.

- A view calls the domain and answers; the work is then committed when the
  answer is a success (below 400) and rolled back otherwise. No view commits or
  rolls back itself.
- A domain error shows on the form that caused it (``with form_errors(form):``,
  then ``form_status(form)``), as a flash before the redirect back
  (``with flash_errors():``), or, raised anywhere else, as the error page with
  its status: 404 for what the viewer may not see, 409 for a conflict, 422 for
  anything else refused.
- A unique value taken by someone else between the domain's check and the
  insert breaks a constraint; the constraint's name says which value, and the
  person who came second reads so (409). A write that lost a race in another
  way (SQLite's moved-on snapshot, PostgreSQL's serialization failure) reads
  "try again" (409). An unknown constraint is logged with the request id and
  answers a plain 409. Never a 500.
- A database that does not answer (down, unreachable, refusing connections)
  gives the site's 503 page, logged once with the request id; the visitor is
  treated as unknown on it (``kindness.web.login``). Nothing is remembered
  between requests, so the next request after the database is back works.
- A request carrying files is refused (400): no form here takes one.
- On SQLite a request that may write (a POST) begins its transaction as a
  writer, so concurrent writers wait for each other instead of failing.
- The read replica's session (``get_read_session``) is never committed: it is
  closed at teardown like the primary's. A committed write opens this browser's
  read-your-writes window (``kindness.web.read_your_writes``).
"""

import re
import secrets
from collections.abc import Callable
from contextlib import suppress
from types import TracebackType

from flask import Flask, Response, abort, current_app, flash, g, request
from flask import session as cookie_session
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug import exceptions as werkzeug_exceptions
from werkzeug.exceptions import HTTPException

from kindness.db import WRITING, constraint_name
from kindness.domain import conflicts, outbox
from kindness.domain.errors import Conflict, DomainError, NotFound, RuleViolation
from kindness.jobs import dispatch
from kindness.schemas.problems import kind_of
from kindness.sessions import get_session
from kindness.web import errors, login
from kindness.web.forms import attach_error
from kindness.web.read_your_writes import remember_write

# The first match decides; any other domain error is invalid input (422).
STATUSES: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (Conflict, 409),
    (RuleViolation, 409),
)
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def init_app(app: Flask) -> None:
    app.before_request(refuse_files)
    app.before_request(begin_unit_of_work)
    app.after_request(end_unit_of_work)
    app.teardown_request(_roll_back_after_failure)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(IntegrityError, handle_database_error)
    app.register_error_handler(OperationalError, handle_database_error)


# The unit of work


def begin_unit_of_work() -> None:
    """A request that may write begins its transaction as a writer on SQLite,
    which then lets it wait its turn instead of refusing it (kindness.db)."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        session = get_session()
        if session.get_bind().dialect.name == "sqlite":
            session.connection(execution_options=WRITING)


def roll_back() -> None:
    """Discard the request's work so far (an error page then reads a clean session)."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()
        outbox.forget(session)  # its jobs were rolled back with it


def end_unit_of_work(response: Response) -> Response:
    """Commit the request's work when it answers a success, roll it back otherwise."""
    session = g.get("db_session")
    if session is not None and response.status_code < 400:
        try:
            session.commit()
        except (IntegrityError, OperationalError) as error:
            # Rare, as every domain function flushes: a constraint checked at commit.
            cookie_session.pop("_flashes", None)  # the success they announce did not happen
            response = current_app.make_response(handle_database_error(error))
            outbox.forget(session)
        else:
            remember_write(session)
            hand_over_jobs(outbox.written(session))
    else:
        roll_back()
    response.headers["X-Request-ID"] = request_id()
    return response


def hand_over_jobs(ids: list[int]) -> None:
    """Give the jobs the request committed to the queue (or run them, without Redis).
    The request has succeeded: a failure here is logged, and the jobs wait in the outbox."""
    try:
        dispatch.hand_over(current_app._get_current_object(), ids)  # type: ignore[attr-defined]
    except Exception:
        current_app.logger.exception("handing over jobs %s failed (request %s)", ids, request_id())


def _roll_back_after_failure(error: BaseException | None) -> None:
    # An exception nobody answered (the session is closed at teardown as well).
    if error is not None:
        roll_back()


def request_id() -> str:
    """This request's id for the logs: the proxy's X-Request-ID when it looks sane,
    else a new one."""
    if "request_id" not in g:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else secrets.token_hex(8)
    return g.request_id


def refuse_files() -> None:
    """No form here takes a file; one sent in place of a text field is refused."""
    if request.files:
        abort(400, _("This form takes no files."))


# Refusals


def status_of(error: DomainError) -> int:
    return next((status for kind, status in STATUSES if isinstance(error, kind)), 422)


def _refusal(error: Exception) -> DomainError | None:
    """The domain error to show the person for ``error``; None when it goes on up
    (NotFound answers 404, an unknown constraint a plain 409)."""
    if isinstance(error, DBAPIError):
        return conflicts.conflict_for(error)
    if isinstance(error, DomainError) and not isinstance(error, NotFound):
        return error
    return None


class _Refusals:
    """A ``with`` block around a domain call: a refusal rolls the work back, is
    handed to ``show``, and the view goes on after the block. (A class, not a
    generator, so that type checkers know the block may swallow the error.)"""

    def __init__(self, show: Callable[[DomainError], None]):
        self.show = show

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if not isinstance(error, DomainError | IntegrityError | OperationalError):
            return False
        refusal = _refusal(error)
        if refusal is None:
            return False
        roll_back()
        self.show(refusal)
        return True


def form_errors(form: FlaskForm) -> _Refusals:
    """Around the domain call of a submitted form: a refusal rolls the work back
    and shows on the form (under its field, or above the form), and the view
    goes on to render the form again with ``form_status(form)``."""

    def show(refusal: DomainError) -> None:
        attach_error(form, refusal)
        form.refusal = refusal

    return _Refusals(show)


def form_status(form: FlaskForm) -> int:
    """The status of a page showing ``form``: 200 as offered; once refused, 409
    when someone else got there first, else 422."""
    refusal = getattr(form, "refusal", None)
    if refusal is not None:
        return status_of(refusal)
    return 422 if form.errors else 200


def flash_errors() -> _Refusals:
    """Around the domain call of a button: a refusal rolls the work back and is
    flashed, and the view goes on to redirect back."""
    return _Refusals(lambda refusal: flash(str(refusal.message), "error"))


# Answers for what no view took up


def handle_http_error(error: HTTPException):
    """An HTTP error (404, 405, CSRF's 400, 429, 500, ...): the site's page for it."""
    roll_back()
    try:
        return errors.http_error_page(error)
    except OperationalError as failure:
        # The page's header loads the signed-in visitor; a database that does not
        # answer then makes the answer a 503 (drawn for an unknown visitor).
        return database_unavailable(failure)


def handle_domain_error(error: DomainError):
    """A refusal raised outside a form or button: its page, with its status."""
    if isinstance(error, NotFound):
        # Exactly the answer of a page that does not exist.
        return handle_http_error(werkzeug_exceptions.NotFound())
    roll_back()
    return errors.error_page(
        status_of(error),
        str(error.message),
        kind=kind_of(type(error)),
        errors={"json": {error.field: [str(error.message)]}} if error.field else None,
    )


def handle_database_error(error: DBAPIError):
    """A race lost to another request: the words for it when the value is known,
    else a plain 409, logged with the request id. Any other operational error
    means the database does not answer: a 503, logged with the request id."""
    conflict = conflicts.conflict_for(error)
    if conflict is None and not isinstance(error, IntegrityError):
        return database_unavailable(error)
    roll_back()
    if conflict is not None:
        return errors.error_page(409, str(conflict.message))
    current_app.logger.warning(
        "request %s: %s %s broke constraint %s (%s)",
        request_id(),
        request.method,
        request.path,
        constraint_name(error) if isinstance(error, IntegrityError) else None,
        type(error.orig).__name__,
    )
    return errors.error_page(409)


# A load balancer or browser may ask again after this many seconds.
RETRY_AFTER = "30"


def database_unavailable(error: DBAPIError):
    """The 503 page for a database that does not answer: one log line with the
    request id (not a traceback per request through an outage), never stored by
    a cache."""
    # The page must not ask the database again: loading the visitor for its header,
    # or reading them again after the rollback expired them, would fail too (a 500).
    login.treat_as_unknown()
    # The connection may be gone; the session is closed at teardown all the same.
    with suppress(DBAPIError):
        roll_back()
    reason = (str(error.orig).strip().splitlines() or [""])[0]
    current_app.logger.error(
        "request %s: %s %s: the database does not answer (%s: %s)",
        request_id(),
        request.method,
        request.path,
        type(error.orig).__name__,
        reason,
    )
    return errors.error_page(503, headers={"Retry-After": RETRY_AFTER, "Cache-Control": "no-store"})
