"""Which requests reach the app: trusted proxies and the Host header.

Flask binds its URL map to the request's Host header before any view or hook
runs; a host it cannot encode (a DNS label over 63 characters, an empty label)
leaves the request without a URL adapter, and the error page, which builds
URLs, then fails with a 500. So the Host header is checked in front of Flask:
a bad or not allowed one is swapped for ``BASE_URL``'s host (URLs never come
from the Host header anyway) and marked, and the first hook answers 400 with
the site's error page.
"""

import re
from urllib.parse import urlsplit

from flask import Flask, abort, request
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix

ENVIRON_KEY = "kindness.bad_host"
INVALID = "invalid"
NOT_ALLOWED = "not allowed"
# Load balancers probe these, and Prometheus scrapes each instance, by address,
# whatever ALLOWED_HOSTS says (/metrics has an allow list of its own).
PROBES = frozenset({"/healthz", "/readyz", "/metrics"})
# A name or IPv4 address, or an IPv6 address in brackets, then an optional port:
# the characters werkzeug 3.1.7 and later accept (older ones accept anything).
HOST = re.compile(
    r"(?P<name>[a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::(?P<port>[1-9][0-9]{0,4}))?",
    re.ASCII | re.IGNORECASE,
)


def host_problem(host: str | None, allowed: tuple[str, ...]) -> str | None:
    """Say what is wrong with a Host header value, or None when the app answers to it.

    ``allowed`` holds lower-case ASCII names; one starting with a dot also
    allows its subdomains. Empty allows every valid host.
    """
    name = None
    if host is not None:
        match = HOST.fullmatch(host)
        if match is None or int(match["port"] or 0) > 65535:
            return INVALID
        try:
            host.encode("idna")  # what werkzeug's Map.bind does: fails on empty or 64+ labels
        except UnicodeError:
            return INVALID
        name = match["name"].lower().removesuffix(".")
    if allowed and not any(
        name == entry or (entry.startswith(".") and (name == entry[1:] or name.endswith(entry)))
        for entry in allowed
        if name
    ):
        return NOT_ALLOWED
    return None


class HostCheck:
    """WSGI middleware: mark requests for a bad or not allowed host, and give
    Flask a host it can bind to instead."""

    def __init__(self, wsgi_app, *, allowed: tuple[str, ...], fallback_host: str):
        self.wsgi_app = wsgi_app
        self.allowed = allowed
        self.fallback_host = fallback_host

    def __call__(self, environ, start_response):
        problem = host_problem(environ.get("HTTP_HOST"), self.allowed)
        if problem is not None:
            environ[ENVIRON_KEY] = problem
            environ["HTTP_HOST"] = self.fallback_host
        return self.wsgi_app(environ, start_response)


def refuse_bad_host() -> None:
    """Answer 400 to a request HostCheck marked (a probe only for an invalid host)."""
    problem = request.environ.get(ENVIRON_KEY)
    if problem is None or (problem == NOT_ALLOWED and request.path in PROBES):
        return
    abort(400, _("This site does not answer to that host name."))


def init_app(app: Flask) -> None:
    """Wrap the app in the host check and, with ``PROXY_HOPS``, in ProxyFix."""
    base = urlsplit(app.config["BASE_URL"])
    base_host = base.hostname.encode("idna").decode("ascii")
    allowed = (*app.config["ALLOWED_HOSTS"], base_host) if app.config["ALLOWED_HOSTS"] else ()
    fallback_host = base.netloc.encode("idna").decode("ascii")
    # Wrapping wsgi_app is how Flask documents middleware; mypy sees a method.
    app.wsgi_app = HostCheck(  # type: ignore[method-assign]
        app.wsgi_app, allowed=allowed, fallback_host=fallback_host
    )
    if hops := app.config["PROXY_HOPS"]:
        # The client's address and scheme come from the proxies; the host and
        # path prefix come from BASE_URL, so X-Forwarded-Host and -Prefix are ignored.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_prefix=0
        )
    # First of all hooks: nothing else looks at a request for a host the site does not serve.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_bad_host)
