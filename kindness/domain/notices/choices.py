"""What a person chose to hear by mail (Settings → Notifications), one choice at
a time, and the signed one-click unsubscribe links that turn kinds of notice off.

Kinds: ``claimed``, ``travelled`` (immediately, daily, weekly or never),
``team_week``, ``week_ends`` and ``daily_idea``; beside them the hour of the
daily letter (``mail_hour``, 0 to 23 in the person's own time zone).
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from kindness.domain import links, tokens
from kindness.domain.errors import InvalidInput, NotFound
from kindness.models import TRAVELLED_CHOICES, User

# Each kind that is on or off, with its column.
SWITCHES: dict[str, str] = {
    "claimed": "notify_claimed",
    "team_week": "notify_team_week",
    "week_ends": "notify_week_ends",
    "daily_idea": "daily_idea",
}
KINDS: tuple[str, ...] = ("claimed", "travelled", "team_week", "week_ends", "daily_idea")
ON, OFF = "on", "off"
MAIL_HOUR = "mail_hour"
UNSUBSCRIBE = "unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    """What a one-click unsubscribe link turns off, and for whom."""

    user_id: int
    kinds: tuple[str, ...]


def check_travelled(value: str, field: str = "value") -> str:
    if value not in TRAVELLED_CHOICES:
        raise InvalidInput(_l("Choose immediately, daily, weekly or never."), field)
    return value


def _hour(value: str) -> int:
    if not (value.isascii() and value.isdigit() and len(value) <= 2 and int(value) <= 23):
        raise InvalidInput(_l("Choose an hour from 0 to 23."), "value")
    return int(value)


def set_choice(session: Session, user: User, kind: str, value: str) -> None:
    """Change one choice: a switch ``on``/``off``, how often travelled kindness is
    told, or the hour of the daily letter. A bad value changes nothing."""
    if kind in SWITCHES:
        if value not in (ON, OFF):
            raise InvalidInput(_l("Choose on or off."), "value")
        setattr(user, SWITCHES[kind], value == ON)
    elif kind == "travelled":
        user.notify_travelled = check_travelled(value)
    elif kind == MAIL_HOUR:
        user.mail_hour = _hour(value)
    else:
        raise InvalidInput(_l("There is no such notice."), "kind")
    session.flush()


def is_on(user: User, kind: str) -> bool:
    """Whether the person hears of ``kind`` at all (by letter or at once)."""
    if kind == "travelled":
        return user.notify_travelled != "never"
    return bool(getattr(user, SWITCHES[kind]))


def turn_off(session: Session, wanted: Unsubscribe) -> None:
    """Turn the link's kinds off for its person (travelled: never); the other
    choices stay as they are."""
    user = session.get(User, wanted.user_id)
    if user is None:
        raise NotFound()
    for kind in wanted.kinds:
        if kind == "travelled":
            user.notify_travelled = "never"
        else:
            setattr(user, SWITCHES[kind], False)
    session.flush()


def unsubscribe_token(secret_key: str, user_id: int, kinds: list[str]) -> str:
    """The token of a link that turns ``kinds`` off for the person, with no log-in."""
    ordered = [kind for kind in KINDS if kind in kinds]
    return tokens.make(secret_key, UNSUBSCRIBE, {"user": user_id, "kinds": ordered})


def unsubscribing(session: Session, secret_key: str, token: str) -> Unsubscribe:
    """What a one-click unsubscribe link turns off; refused when the token was
    tampered with or its account is gone."""
    wanted = read_unsubscribe(secret_key, token)
    if wanted is None or session.get(User, wanted.user_id) is None:
        raise links.BadLink(
            links.BROKEN,
            _l(
                "This unsubscribe link does not work: it may be incomplete or changed."
                " You can choose what we mail you in Settings → Notifications."
            ),
        )
    return wanted


def read_unsubscribe(secret_key: str, token: str) -> Unsubscribe | None:
    """What a token turns off, or None when it is tampered with or malformed.

    It never expires: a mail read months later must still unsubscribe."""
    payload = tokens.read(secret_key, UNSUBSCRIBE, token)
    if not isinstance(payload, dict):
        return None
    user_id, kinds = payload.get("user"), payload.get("kinds")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not isinstance(kinds, list):
        return None
    if not kinds or any(kind not in KINDS for kind in kinds):
        return None
    return Unsubscribe(user_id=user_id, kinds=tuple(kind for kind in KINDS if kind in kinds))
