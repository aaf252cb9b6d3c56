"""The notice mails: the daily letter and "your kindness travelled" at once.

Both carry a one-click unsubscribe (RFC 8058): the letter's turns off exactly
the kinds it carried, and each of its sections has its own "stop these" link;
the travelled mail's turns "travelled" to never.
"""

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from kindness.domain import inbox
from kindness.domain.mails import Outgoing, may_mail_notices
from kindness.domain.notices import choices, reading
from kindness.domain.notices.letters import Letter
from kindness.mail.messages import Content, Skip, in_language, render
from kindness.models import User
from kindness.urls import absolute_url_for

# Each section's heading, which is also the letter's subject when it tells only that.
HEADINGS = {
    "claimed": _l("Your card was claimed"),
    "travelled": _l("Your kindness travelled"),
    "team_week": _l("Your team's week"),
    "week_ends": _l("Your week ends today — how was it?"),
    "daily_idea": _l("An idea for today"),
}


def unsubscribe_url(user: User, kinds: list[str]) -> str:
    """The link that turns ``kinds`` off for the person, without logging in."""
    token = choices.unsubscribe_token(current_app.config["SECRET_KEY"], user.id, kinds)
    return absolute_url_for("notifications.unsubscribe", token=token)


def _recipient(user: User | None) -> User:
    if user is None or not may_mail_notices(user):
        raise Skip("the account is gone, unconfirmed or suspended")
    return user


def letter(session: Session, outgoing: Outgoing, user: User | None) -> Content:
    """The daily letter: a section per kind of notice that has something to say."""
    user = _recipient(user)
    told = reading.read(session, user, Letter.from_params(outgoing.params))
    kinds = told.kinds()
    if not kinds:
        raise Skip("everything the letter was to tell is gone or turned off")
    stops = {kind: unsubscribe_url(user, [kind]) for kind in kinds}
    everything = unsubscribe_url(user, kinds)

    def subject() -> str:
        if len(kinds) == 1:
            return str(HEADINGS[kinds[0]])
        return _("News from Kindness for %(day)s", day=format_date(told.day, "medium"))

    text, html = render(
        "letter", user, unsubscribe_url=everything, told=told, stops=stops, headings=HEADINGS
    )
    return Content(in_language(user, subject), text, html, unsubscribe_url=everything)


def travelled(session: Session, outgoing: Outgoing, user: User | None) -> Content:
    """Kindness travelled on below the person's act, told at once."""
    user = _recipient(user)
    if not choices.is_on(user, "travelled"):
        raise Skip("travelled notices are turned off")
    entry = inbox.latest_about(session, user, "travelled", outgoing.params["act_id"])
    if entry is None:
        raise Skip("the act is gone")
    stop = unsubscribe_url(user, ["travelled"])
    text, html = render("travelled", user, unsubscribe_url=stop, entry=entry)
    return Content(
        in_language(user, lambda: _("Your kindness travelled")), text, html, unsubscribe_url=stop
    )
