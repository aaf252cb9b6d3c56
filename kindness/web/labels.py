"""Translated labels for the codes stored in the database: categories,
visibilities, roles, week statuses, listing orders, report reasons,
moderation steps and the notices by mail.

The codes live with the models (which know no language); their words live
here, once, for forms and templates alike.
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

CATEGORY_LABELS = {
    "time": _l("Time"),
    "help": _l("Help"),
    "gift": _l("Gift"),
    "listening": _l("Listening"),
    "teaching": _l("Teaching"),
    "encouragement": _l("Encouragement"),
    "hospitality": _l("Hospitality"),
    "other": _l("Other"),
}

VISIBILITY_LABELS = {
    "private": _l("Only me"),
    "team": _l("My teams"),
    "public": _l("Everyone"),
}

ROLE_LABELS = {
    "owner": _l("owner"),
    "admin": _l("admin"),
    "member": _l("member"),
}

STATUS_LABELS = {
    "active": _l("Running now"),
    "scheduled": _l("Scheduled"),
    "finished": _l("Finished"),
    "abandoned": _l("Set aside"),
}

ORDER_LABELS = {
    "reach": _l("Most people reached"),
    "generations": _l("Most generations"),
    "newest": _l("Newest"),
    "grown": _l("Most recently grown"),
}

# The public team directory: by name or newest, never by size or activity.
TEAM_ORDER_LABELS = {
    "name": _l("Name"),
    "newest": _l("Newest"),
}

REASON_LABELS = {
    "private_data": _l("It shows someone's private details"),
    "hurtful": _l("It is hurtful or hateful"),
    "spam": _l("It is spam or advertising"),
    "not_kindness": _l("It is not an act of kindness"),
    "other": _l("Something else"),
}

# A step in the moderators' log, as it reads after the moderator's name.
ACTION_LABELS = {
    "hide": _l("hid an act"),
    "restore": _l("showed an act again"),
    "suspend": _l("suspended a person"),
    "unsuspend": _l("lifted a suspension"),
    "remove_thanks": _l("removed a thank-you note"),
    "dismiss_thanks": _l("kept a reported thank-you note"),
}

# The notices a person may hear of by mail (Settings → Notifications).
NOTICE_LABELS = {
    "claimed": _l("Your card was claimed"),
    "travelled": _l("Your kindness travelled"),
    "team_week": _l("Your team's week is scheduled, and when it starts"),
    "week_ends": _l("Your week ends today — how was it?"),
    "daily_idea": _l("A gentle idea each day of an active week"),
}

# How often a person hears that their kindness travelled.
TRAVELLED_LABELS = {
    "immediately": _l("At once"),
    "daily": _l("In the daily letter"),
    "weekly": _l("Weekly, on Mondays"),
    "never": _l("Never"),
}


def _label(labels: dict):
    def label(code: str) -> str:
        return str(labels.get(code, code))

    return label


def init_app(app: Flask) -> None:
    """Offer each label set to the templates as ``<kind>_label(code)``."""
    app.add_template_global(_label(CATEGORY_LABELS), "category_label")
    app.add_template_global(_label(VISIBILITY_LABELS), "visibility_label")
    app.add_template_global(_label(ROLE_LABELS), "role_label")
    app.add_template_global(_label(STATUS_LABELS), "status_label")
    app.add_template_global(_label(NOTICE_LABELS), "notice_label")
    app.add_template_global(_label(TRAVELLED_LABELS), "travelled_label")
    app.add_template_global(_label(REASON_LABELS), "reason_label")
    app.add_template_global(_label(ACTION_LABELS), "action_label")
