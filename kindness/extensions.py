"""The Flask extensions, created here unbound and bound in ``create_app``."""

from collections.abc import Callable

from flask import current_app, has_request_context, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from kindness.domain.passwords import Passwords
from kindness.models import LANGUAGES

csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)
babel = Babel()


def setting(name: str) -> Callable[[], str]:
    """A setting read when it is needed (a rate limit, say), so a test or the
    environment can change it after the decorator was applied."""
    return lambda: current_app.config[name]


def passwords() -> Passwords:
    return current_app.extensions["kindness.passwords"]


def select_locale() -> str | None:
    """The user's setting, else the choice made before signing in, else the browser's;
    outside a request (a job writing mail), the default unless ``force_locale`` says."""
    if not has_request_context():
        return None
    languages = list(LANGUAGES)
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages)


def select_timezone() -> str | None:
    if not has_request_context():
        return None
    if current_user and current_user.is_authenticated:
        return current_user.time_zone
    return None
