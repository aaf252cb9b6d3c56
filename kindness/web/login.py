"""Flask-Login wiring: loading the user from a revocable login id."""

from flask import Flask, g, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from sqlalchemy.exc import OperationalError

from kindness.domain import accounts
from kindness.extensions import login_manager
from kindness.models import User
from kindness.sessions import get_session
from kindness.web.language import speak_as


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)


def load_user(login_id: str):
    """The signed-in person. While the database does not answer, the first try's
    error goes on to the boundary (its 503 page); that page, and anything after it
    in this request, then treat the visitor as unknown instead of failing again."""
    if g.get("database_down"):
        return None
    try:
        return accounts.find_by_login_id(get_session(), login_id)
    except OperationalError:
        g.database_down = True
        raise


def treat_as_unknown() -> None:
    """For the rest of this request the visitor is unknown: the database does not
    answer, so their row can be neither loaded nor read again (a rollback has expired
    it). Only this answer forgets them; their session cookie stays as it is."""
    g.database_down = True
    g._login_user = login_manager.anonymous_user()  # where Flask-Login keeps current_user


def start_session(user: User, remember: bool = False) -> None:
    """Sign ``user`` in on a fresh session (nothing of whoever used this browser before
    survives), speaking their language from this answer on."""
    session.clear()
    login_user(user, remember=remember)
    speak_as(user)
