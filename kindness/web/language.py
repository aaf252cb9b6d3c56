"""Which language a page speaks when the person it is for becomes known mid-request."""

import flask_babel
from flask import session

from kindness.models import LANGUAGES, User


def speak_as(user: User) -> None:
    """Answer in ``user``'s language from here on: after signing in or out, and on the
    pages a mailed link opens (perhaps in a browser that speaks another language).

    Flask-Babel chose this request's language at its first words; ``refresh`` makes it
    choose again, and the session keeps the choice for the pages that follow."""
    if user.locale in LANGUAGES:
        session["locale"] = user.locale
    flask_babel.refresh()
