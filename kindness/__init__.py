"""Kindness: a pay-it-forward challenge tracker.

``create_app`` builds the Flask app: settings, extensions, blueprints, error
handlers and CLI commands. Nothing happens at import time.
"""

from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    from kindness import cli, config, extensions, picture_cache, sessions
    from kindness.domain.passwords import Passwords
    from kindness.web import (
        boundary,
        compression,
        cookie_session,
        hosts,
        json_bodies,
        json_logs,
        read_your_writes,
        register_blueprints,
        security,
        shared_pages,
        template_words,
    )
    from kindness.web.safe_json import SafeJSONProvider

    app.json = SafeJSONProvider(app)
    config.load(app, test_config)
    json_logs.init_app(app)
    hosts.init_app(app)
    sessions.init_app(app)
    app.extensions["kindness.passwords"] = Passwords.from_config(app.config)

    extensions.csrf.init_app(app)
    extensions.babel.init_app(
        app,
        locale_selector=extensions.select_locale,
        timezone_selector=extensions.select_timezone,
    )
    picture_cache.init_app(app)
    shared_pages.init_app(app)
    cookie_session.init_app(app)
    template_words.init_app(app)
    from kindness.web import login

    login.init_app(app)
    security.init_app(app)
    json_bodies.init_app(app)
    compression.init_app(app)
    boundary.init_app(app)
    # After the boundary: the API's limit looks its token up, inside the request's
    # unit of work (begun as a writer on SQLite for a write).
    extensions.limiter.init_app(app)
    read_your_writes.init_app(app)
    register_blueprints(app)
    from kindness import api

    api.init_app(app)
    from kindness.urls import absolute_url_for

    # Mail is written outside any request: its templates build links on BASE_URL.
    app.jinja_env.globals["absolute_url_for"] = absolute_url_for
    cli.init_app(app)
    return app
