"""The HTML side of the app: one blueprint per area."""

from flask import Flask
from flask_babel import get_locale


def register_blueprints(app: Flask) -> None:
    from kindness.web import accounts, errors, main, settings

    app.register_blueprint(errors.bp)
    app.register_blueprint(main.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(settings.bp)
    app.add_template_global(current_locale)


def current_locale() -> str:
    return str(get_locale() or "en")
