""" "Download my data": the job that builds a person's export (asked for on the
Settings page), and the periodic step that deletes those whose day is over."""

import logging
from datetime import UTC, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from kindness.domain import data_exports
from kindness.domain.dates import today_for
from kindness.models import LANGUAGES, User
from kindness.schemas import archive, my_data

log = logging.getLogger(__name__)


def build(session: Session, export_id: int) -> None:
    """Gather the person's data into the zip, keep it (or record that it is too
    big), and tell them in their inbox. Done once: ``dispatch.run`` deletes the job's
    outbox row in this transaction, and an export replaced meanwhile is left alone."""
    export = data_exports.to_build(session, export_id)
    if export is None:
        return
    user = session.get(User, export.user_id)
    if user is None:
        return
    now = datetime.now(UTC)
    cap = int(current_app.config["DATA_EXPORT_MAX_BYTES"])
    sections = my_data.sections(session, user, today_for(user, now))
    try:
        content: bytes | None = archive.write(sections, readme(user, now), cap)
    except archive.TooBig:
        log.info("data export %d of user %d is over %d bytes", export.id, user.id, cap)
        content = None
    data_exports.finish(session, export, content, cap, now)


def delete_expired(session: Session, now: datetime) -> None:
    """The periodic step: exports (and their notices) go a day after they were made."""
    gone = data_exports.delete_expired(session, now)
    if gone:
        log.info("deleted %d expired data export(s)", gone)


def readme(user: User, now: datetime) -> str:
    """README.txt, in the person's language."""
    with force_locale(user.locale if user.locale in LANGUAGES else "en"):
        files = {
            "profile": _("your display name, language, time zone and other settings"),
            "acts": _(
                "every act you logged, with its private note, the contact's name, its"
                " visibility and its place in a chain (ref, generation, parent_ref)"
            ),
            "contacts": _("your private address book, with notes"),
            "weeks": _("your personal weeks, with their reflections and tallies"),
            "team_weeks": _("the team weeks you took part in, with your own acts in each"),
            "cards": _("the pass-it-on cards you made, and who claimed them"),
            "received": _("the kindness you received (claimed), as your Received page shows it"),
            "thanks_sent": _("the thank-you notes you wrote"),
            "thanks_received": _("the thank-you notes you received"),
            "inbox": _("your inbox, with what you have read"),
            "teams": _("your teams, with your role in each"),
        }
        lines = [
            _(
                "Your data from Kindness, gathered for %(name)s on %(date)s (UTC).",
                name=user.display_name,
                date=now.strftime("%Y-%m-%d %H:%M"),
            ),
            "",
            _(
                "Each part is here twice: as JSON in json/ (exactly what the API at"
                " /api/v1 answers) and as CSV in csv/ (one row per entry, for a"
                " spreadsheet). Times are in UTC, dates are your own local dates."
            ),
            "",
            *(f"- {name}: {files[name]}" for name in my_data.SECTIONS),
            "",
            _(
                "Names of other people appear only as the pages show them to you: your"
                " contacts' names, and display names of people who chose to be named."
            ),
            "",
        ]
    return "\n".join(lines)
