"""Pages every anonymous visitor sees alike in one language (the landing page, the
log-in and sign-up forms), rendered once per process and language.

Besides its words such a page holds one thing of the visitor's own: the CSRF
token of the footer's language switch and of the form. The page is rendered once
with a placeholder where the token goes (a random name made at start: no text of
the page contains it, and HTML escaping leaves its letters and digits alone), and
each request gets that text with its own token put in. The token is made as on
any other page (``generate_csrf``: one per session, signed), so CSRF works as
before, and a visitor never sees another's token: only the placeholder is kept.

Only a request for which the page can be nothing else is served from the copy:
a GET without a query string (the footer's and the forms' ``next`` come from it),
from an anonymous visitor (no login id in the session), with no flashed message
waiting. Any other request renders as usual. Templates and translations do not
change while the process runs; with ``TEMPLATES_AUTO_RELOAD`` (development)
nothing is kept.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from kindness.models import LANGUAGES

EXTENSION = "kindness.shared_pages"


@dataclass
class SharedPages:
    placeholder: str = field(default_factory=lambda: "csrf" + secrets.token_hex(16))
    # (page, language, script root) -> the page's text with the placeholder
    texts: dict[tuple[str, str, str], str] = field(default_factory=dict)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = SharedPages()


def render_shared(page: str, render: Callable[[], str]) -> str:
    """The text of ``page`` from ``render()``, made once per language when the request
    allows it (see the module), with this visitor's CSRF token in it."""
    if not _same_for_everyone():
        return render()
    pages: SharedPages = current_app.extensions[EXTENSION]
    locale = str(get_locale())
    if locale not in LANGUAGES:
        return render()
    key = (page, locale, request.script_root)
    text = pages.texts.get(key)
    if text is None:
        text = _render_with_placeholder(render, pages.placeholder)
        pages.texts[key] = text
    return text.replace(pages.placeholder, generate_csrf())


def _same_for_everyone() -> bool:
    return (
        request.method == "GET"
        and not request.query_string
        and not current_app.jinja_env.auto_reload
        and "_user_id" not in session
        and "_flashes" not in session
        and not current_user.is_authenticated
    )


def _render_with_placeholder(render: Callable[[], str], placeholder: str) -> str:
    # generate_csrf() answers what g holds under the field's name, so every token
    # the templates and forms ask for during this render is the placeholder.
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    own = g.pop(name, None)
    setattr(g, name, placeholder)
    try:
        return render()
    finally:
        g.pop(name, None)
        if own is not None:
            setattr(g, name, own)
