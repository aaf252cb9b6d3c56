"""The HTML side of the app: one blueprint per area."""

from flask import Flask
from flask_babel import get_locale

from kindness.models import LANGUAGES


def register_blueprints(app: Flask) -> None:
    from kindness.web import (
        account_mail,
        accounts,
        acts,
        admin,
        api_tokens,
        calendar_feed,
        chains,
        challenges,
        confirmation,
        contacts,
        explore,
        inbox,
        labels,
        main,
        metrics,
        notifications,
        passes,
        password_reset,
        settings,
        team_manage,
        team_rows,
        teams,
    )
    from kindness.web.converters import IdConverter

    app.url_map.converters["id"] = IdConverter

    app.register_blueprint(main.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(confirmation.bp)
    app.register_blueprint(password_reset.bp)
    app.register_blueprint(settings.bp)
    app.register_blueprint(calendar_feed.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(api_tokens.bp)
    app.register_blueprint(acts.bp)
    app.register_blueprint(contacts.bp)
    app.register_blueprint(challenges.bp)
    app.register_blueprint(chains.bp)
    app.register_blueprint(passes.bp)
    app.register_blueprint(inbox.bp)
    app.register_blueprint(teams.bp)
    app.register_blueprint(team_manage.bp)
    app.register_blueprint(explore.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(metrics.bp)
    metrics.init_app(app)
    app.add_template_global(inbox.unread_count, "unread_count")
    app.add_template_global(current_locale)
    app.add_template_global(account_mail.banner_address, "confirm_banner_address")
    app.add_template_global(team_rows.participation_rows, "participation_rows")
    app.jinja_env.globals["languages"] = LANGUAGES
    labels.init_app(app)


def current_locale() -> str:
    return str(get_locale() or "en")
