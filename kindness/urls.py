"""Absolute URLs: always on ``BASE_URL``, never on the request's Host header.

Cards, QR codes, invite links and link previews leave the site, so a forged
Host header must not be able to point them elsewhere.
"""

from urllib.parse import urlsplit

from flask import current_app


def absolute_url_for(endpoint: str, **values) -> str:
    """Return the full URL of ``endpoint`` (its full name, ``"passes.landing"``) on ``BASE_URL``.

    The URL map is bound to ``BASE_URL`` itself, so this needs an app context
    but no request: background jobs (mail) can call it inside
    ``app.app_context()``. A path prefix in ``BASE_URL`` comes before the
    route's path, whatever ``SCRIPT_NAME`` the current request has.
    """
    app = current_app
    base = urlsplit(app.config["BASE_URL"])
    app.inject_url_defaults(endpoint, values)
    adapter = app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
