"""Flask-Login wiring: loading the user from a revocable login id."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from kindness.domain import accounts
from kindness.extensions import login_manager
from kindness.sessions import get_session


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)


def load_user(login_id: str):
    return accounts.find_by_login_id(get_session(), login_id)
