"""Settings: safe defaults, overridden by environment variables.

Every setting can be given as ``KINDNESS_<NAME>`` (read by Flask's
``from_prefixed_env``); the database and Redis also answer to the usual
``DATABASE_URL`` and ``REDIS_URL`` that hosting platforms set.
"""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

from flask import Flask

INSTANCE_KEY_FILE = "secret_key"


def default_settings(instance_path: str) -> dict:
    """Return the defaults, which need no server and no secret from the operator."""
    return {
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'kindness.sqlite3'}",
        "REDIS_URL": None,
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
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
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
    if app.config["REDIS_URL"] and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
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
