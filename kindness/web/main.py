"""The landing page or dashboard, the language switch and the health checks."""

import redis
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import BadRequest

from kindness.domain import accounts
from kindness.models import LANGUAGES
from kindness.sessions import database, get_session, schema_is_current
from kindness.web.dashboard import render_dashboard
from kindness.web.navigation import next_or
from kindness.web.shared_pages import render_shared

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Show the dashboard to a signed-in person, else the landing page."""
    if current_user.is_authenticated:
        return render_dashboard()
    return render_shared("landing", lambda: render_template("main/landing.html"))


@bp.post("/language")
def language():
    """Switch the language: saved for a signed-in person, kept in the session otherwise."""
    locale = request.form.get("locale", "")
    if locale not in LANGUAGES:
        raise BadRequest(_("Unknown language."))
    if current_user.is_authenticated:
        accounts.set_locale(get_session(), current_user, locale)
    session["locale"] = locale
    return redirect(next_or(request.form.get("next")))


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for this on pages without an icon link (SVG and JSON views)."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/healthz")
def healthz():
    """Liveness: 200 while the process serves. It asks nothing of the database or
    Redis, so an outage of either never has a healthy process restarted (/readyz
    says whether it should get traffic)."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Answer 200 when the database answers and is migrated, 503 otherwise; Redis
    and a read replica are reported, never fatal (without Redis the app degrades;
    without its replica only the explore and chain pages fail, and taking every
    instance out of service for that would stop the whole site)."""
    report = {"database": "up", "migrations": "current", "redis": _redis_state()}
    if database().has_replica:
        report["replica"] = _replica_state()
    try:
        if not schema_is_current(get_session()):
            report["migrations"] = "behind"
    except SQLAlchemyError:
        current_app.logger.exception("readiness check: database does not answer")
        report.update(database="down", migrations="unknown")
    ready = report["database"] == "up" and report["migrations"] == "current"
    return {"status": "ready" if ready else "unavailable", **report}, 200 if ready else 503


def _replica_state() -> str:
    try:
        with database().replica_engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.exception("readiness check: the read replica does not answer")
        return "down"
    return "up"


def _redis_state() -> str:
    url = current_app.config["REDIS_URL"]
    if not url:
        return "not configured"
    client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        return "down"
    finally:
        client.close()
    return "up"
