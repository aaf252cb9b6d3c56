"""Settings: safe defaults, overridden by environment variables.

Every setting can be given as ``KINDNESS_<NAME>`` (read by Flask's
``from_prefixed_env``); the database and Redis also answer to the usual
``DATABASE_URL`` and ``REDIS_URL`` that hosting platforms set.
"""

import os
import secrets
import tempfile
from datetime import timedelta
from email.utils import parseaddr
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

INSTANCE_KEY_FILE = "secret_key"


def default_settings(instance_path: str) -> dict:
    """Return the defaults, which need no server and no secret from the operator."""
    return {
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'kindness.sqlite3'}",
        # A read replica for the explore and chain pages (README, "A read replica");
        # None: they read from DATABASE_URL like every other page.
        "DATABASE_REPLICA_URL": None,
        # After a write, that browser reads the replica's pages from the primary this
        # long, so that it sees what it just did through the replica's lag.
        "READ_YOUR_WRITES_SECONDS": 10,
        "REDIS_URL": None,
        # The folder of pg_dump and pg_restore for backups; None: PATH, then /usr/lib/postgresql.
        "POSTGRES_BIN": None,
        # Scheme, host and optional path prefix of every absolute URL (cards, invites, previews).
        "BASE_URL": "http://127.0.0.1:5000",
        # How many proxies in front of the app set X-Forwarded-For and -Proto; 0 trusts none.
        "PROXY_HOPS": 0,
        # Host names the app answers to (a leading dot allows subdomains); empty allows any.
        "ALLOWED_HOSTS": (),
        # HTTPS decides the Secure flag of every cookie; on by default behind TLS in production.
        "HTTPS": False,
        "SQLALCHEMY_ECHO": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Static files (CSS, icons) are kept by browsers and proxies for an hour. Their
        # URLs carry no version, so a longer time would show old CSS long after a
        # release; within the hour a page view fetches none of them again, and after
        # it the ETag makes asking again cheap (304).
        "SEND_FILE_MAX_AGE_DEFAULT": timedelta(hours=1),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        # argon2id at OWASP's recommended minimum: 19 MiB, 2 iterations, 1 lane.
        "ARGON2_TIME_COST": 2,
        "ARGON2_MEMORY_COST": 19 * 1024,
        "ARGON2_PARALLELISM": 1,
        "LOGIN_LIMIT": "5 per minute",
        "SIGNUP_LIMIT": "10 per hour",
        "CLAIM_LIMIT": "30 per minute",
        "REPORT_LIMIT": "10 per hour",
        # Confirmation links mailed on request ("send it again", a change of address), per person.
        "CONFIRM_LIMIT": "6 per hour",
        # Password-reset mails asked for, per address and per IP address.
        "RESET_LIMIT": "3 per hour",
        "RESET_IP_LIMIT": "10 per hour",
        # The e-mail address a suspended person is told to write to; None: MAIL_FROM's address.
        "MODERATION_CONTACT": None,
        # Logging one act for a whole group at once (up to 50 acts and cards), per person.
        "SEVERAL_LIMIT": "10 per hour",
        # Outgoing mail over SMTP; with no server, each message is written to instance/outbox/.
        "MAIL_SERVER": None,
        "MAIL_PORT": None,  # default: 25, 587 with starttls, 465 with tls
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_SECURITY": "none",  # none, starttls or tls
        "MAIL_FROM": None,  # default: Kindness <kindness@the host of BASE_URL>
        # A mail left "sending" this long belongs to a worker that died: it is sent again
        # (longer than the slowest SMTP conversation, or a slow one is sent twice).
        "MAIL_STALE_SECONDS": 15 * 60,
        # A job a worker took and never acknowledged (the worker died) goes back to the
        # queue after this long (Redis transport's visibility timeout; kombu's default is
        # an hour). Jobs are idempotent, so one that runs longer is at worst run twice.
        "QUEUE_VISIBILITY_SECONDS": 5 * 60,
        # One JSON object per log line (time, level, logger, message, request_id).
        "LOG_JSON": False,
        # Client addresses (IPs or networks, comma-separated) that /metrics answers; 404 to others.
        "METRICS_ALLOW": ("127.0.0.1", "::1"),
        # Derived pictures (kindness/picture_cache.py): kept a day at most, in Redis with
        # REDIS_URL, else in each worker within this many bytes (least recently used out first).
        "PICTURE_CACHE_SECONDS": 24 * 3600,
        "PICTURE_CACHE_BYTES": 32 * 1024 * 1024,
        # "Download my data": the largest zip kept (in the database, for a day); a bigger
        # one fails with a message to the person.
        "DATA_EXPORT_MAX_BYTES": 20 * 1024 * 1024,
        # "Download my data" asked for, per person (each gathers everything they have).
        "DATA_EXPORT_LIMIT": "5 per day",
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Each API token's own limit (Flask-Limiter's notation); empty: no limit.
        "API_RATE_LIMIT": "300 per minute",
        # Redis down: limits count in this process until it answers again, never an error.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    }


def load(app: Flask, test_config: dict | None) -> None:
    """Fill ``app.config``: defaults, then the environment, then the test config."""
    app.config.from_mapping(default_settings(app.instance_path))
    for name in ("DATABASE_URL", "REDIS_URL"):
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env("KINDNESS")
    if test_config:
        app.config.from_mapping(test_config)

    app.config["DATABASE_URL"] = normalise_database_url(app.config["DATABASE_URL"])
    replica_url = str(app.config["DATABASE_REPLICA_URL"] or "").strip()
    app.config["DATABASE_REPLICA_URL"] = normalise_database_url(replica_url) or None
    app.config["READ_YOUR_WRITES_SECONDS"] = seconds(
        "READ_YOUR_WRITES_SECONDS", app.config["READ_YOUR_WRITES_SECONDS"]
    )
    app.config["DATA_EXPORT_MAX_BYTES"] = byte_count(
        "DATA_EXPORT_MAX_BYTES", app.config["DATA_EXPORT_MAX_BYTES"]
    )
    app.config["BASE_URL"] = normalise_base_url(app.config["BASE_URL"])
    app.config["PROXY_HOPS"] = proxy_hops(app.config["PROXY_HOPS"])
    app.config["ALLOWED_HOSTS"] = host_list(app.config["ALLOWED_HOSTS"])
    app.config["LOG_JSON"] = flag("LOG_JSON", app.config["LOG_JSON"])
    app.config["METRICS_ALLOW"] = networks("METRICS_ALLOW", app.config["METRICS_ALLOW"])
    app.config["MODERATION_CONTACT"] = email_address(app.config["MODERATION_CONTACT"])
    load_mail_settings(app.config)
    if app.config["REDIS_URL"] and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        # A Redis that takes the connection but never answers must not hold a request:
        # give up soon, and the limits count in this process meanwhile.
        app.config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
        )
    secure = bool(app.config["HTTPS"])
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    app.config["PREFERRED_URL_SCHEME"] = "https" if secure else "http"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)


def normalise_database_url(url: str) -> str:
    """Send plain ``postgres://`` and ``postgresql://`` URLs to psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def normalise_base_url(url: str) -> str:
    """Check that ``url`` is http(s) with a host; return it without a trailing slash."""
    problem = "must be an http:// or https:// URL with a host (no user, query or fragment)"
    if not isinstance(url, str):
        raise ValueError(f"BASE_URL {problem}, not {url!r}")
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
        parts.netloc.encode("idna")  # what werkzeug does with it when building URLs
    except (ValueError, UnicodeError) as error:
        raise ValueError(f"BASE_URL {problem}, not {url!r} ({error})") from error
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.query
        or parts.fragment
    ):
        raise ValueError(f"BASE_URL {problem}, not {url!r}")
    return parts._replace(path=parts.path.rstrip("/")).geturl()


def proxy_hops(value: int | str) -> int:
    """The number of trusted proxies: a whole number, 0 or more."""
    if isinstance(value, bool) or not str(value).strip().isdigit():
        raise ValueError(f"PROXY_HOPS must be a whole number, 0 or more, not {value!r}")
    return int(value)


def seconds(name: str, value: object) -> int:
    """A whole number of seconds, zero or more (an int, or its digits from the environment)."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise ValueError(f"{name} must be a whole number of seconds, not {value!r}")
    return int(text)


def byte_count(name: str, value: object) -> int:
    """A whole number of bytes, one or more (an int, or its digits from the environment)."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or int(text) < 1:
        raise ValueError(f"{name} must be a whole number of bytes, not {value!r}")
    return int(text)


def host_list(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Host names from a comma-separated string (the environment) or a list, lower-cased."""
    names = value.split(",") if isinstance(value, str) else value or ()
    return tuple(name.strip().lower() for name in names if name.strip())


def flag(name: str, value: object) -> bool:
    """A yes/no setting: a bool, or true/false (1/0, yes/no, on/off) from the environment."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("", "0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def networks(
    name: str, value: str | list[str] | tuple[str, ...] | None
) -> tuple[IPv4Network | IPv6Network, ...]:
    """IP addresses and networks (``10.0.0.0/8``) from a comma-separated string or a list."""
    entries = value.split(",") if isinstance(value, str) else value or ()
    try:
        return tuple(ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())
    except ValueError as error:
        raise ValueError(f"{name} must list IP addresses or networks, not {value!r}") from error


def email_address(value: object) -> str | None:
    """An e-mail address to publish (``name@host.tld``, no spaces), or None when unset or empty."""
    if value is None:
        return None
    problem = f"MODERATION_CONTACT must be an e-mail address (name@example.org), not {value!r}"
    if not isinstance(value, str):
        raise ValueError(problem)
    address = value.strip()
    if not address:
        return None
    local, _, host = address.rpartition("@")
    if not local or "." not in host.strip(".") or any(c.isspace() for c in address):
        raise ValueError(problem)
    return address


def moderation_contact(config) -> str:
    """The address a suspended person may write to: MODERATION_CONTACT, else the
    address part of MAIL_FROM (by default kindness@ the site's host, which takes
    replies), so that there is always one."""
    return config["MODERATION_CONTACT"] or parseaddr(config["MAIL_FROM"])[1]


MAIL_PORTS = {"none": 25, "starttls": 587, "tls": 465}


def load_mail_settings(config) -> None:
    """Check the mail settings and fill in the port and sender they imply."""
    security = str(config["MAIL_SECURITY"] or "none").strip().lower()
    if security not in MAIL_PORTS:
        raise ValueError(f"MAIL_SECURITY must be none, starttls or tls, not {security!r}")
    config["MAIL_SECURITY"] = security
    port = config["MAIL_PORT"]
    if port in (None, ""):
        port = MAIL_PORTS[security]
    if isinstance(port, bool) or not str(port).strip().isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"MAIL_PORT must be a port number (1 to 65535), not {port!r}")
    config["MAIL_PORT"] = int(port)
    if not config["MAIL_FROM"]:
        host = urlsplit(config["BASE_URL"]).hostname or "localhost"
        if "." not in host:
            host += ".localdomain"  # an address needs a domain with a dot to be accepted
        # An address that takes replies: people answer notices, and the moderators'
        # address falls back to it (``moderation_contact``).
        config["MAIL_FROM"] = f"Kindness <kindness@{host}>"


def instance_secret_key(instance_path: str) -> str:
    """Return the key kept in the instance folder, creating a random one the first time."""
    path = Path(instance_path) / INSTANCE_KEY_FILE
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written to a private temporary file, then linked into place: several
    # workers starting at once all end up with the one key that won.
    fd, temporary = tempfile.mkstemp(dir=path.parent)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
    return path.read_text().strip()
