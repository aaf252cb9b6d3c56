"""Accounts: sign-up, authentication, profile changes and session revocation."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kindness.domain import passwords as password_rules
from kindness.domain.dates import check_time_zone
from kindness.domain.errors import EmailTaken, InvalidCredentials, InvalidInput, WeakPassword
from kindness.domain.notices.choices import check_travelled
from kindness.domain.passwords import Passwords
from kindness.models import LANGUAGES, Act, ChainStats, User, new_session_token

EMAIL_MAX = 254
DISPLAY_NAME_MAX = 50


def normalise_email(email: str) -> str:
    return email.strip().lower()


def clean_email(email: str) -> str:
    email = normalise_email(email)
    # Lower-casing can make a text longer (İ becomes i and a combining dot).
    if len(email) > EMAIL_MAX:
        raise InvalidInput(_l("This email address is too long."), "email")
    return email


def clean_display_name(display_name: str) -> str:
    """The name others see: 1 to ``DISPLAY_NAME_MAX`` characters, without the
    spaces around it."""
    display_name = (display_name or "").strip()
    if not display_name:
        raise InvalidInput(_l("Please give a display name."), "display_name")
    if len(display_name) > DISPLAY_NAME_MAX:
        raise InvalidInput(
            _l("Use at most %(count)d characters.", count=DISPLAY_NAME_MAX), "display_name"
        )
    return display_name


def check_locale(locale: str) -> str:
    """``locale`` when the pages and mail speak it, else refused."""
    if locale not in LANGUAGES:
        raise InvalidInput(_l("Choose one of the languages."), "locale")
    return locale


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def find_by_login_id(session: Session, login_id: str) -> User | None:
    """Return the user of a session's login id, or None once its token was rotated."""
    user_id, _, token = login_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = session.get(User, int(user_id))
    if user is None or user.session_token != token or user.suspended_at is not None:
        return None
    return user


def check_password_rules(password: str, field: str = "password") -> None:
    if len(password) < password_rules.MIN_LENGTH:
        raise WeakPassword(
            _l("Use at least %(count)d characters.", count=password_rules.MIN_LENGTH), field
        )
    if password_rules.is_common(password):
        raise WeakPassword(
            _l("This password is one of the most common ones; please choose another."), field
        )


def ensure_email_free(session: Session, email: str, except_user: User | None = None) -> None:
    query = select(func.count()).select_from(User).where(User.email == email)
    if except_user is not None:
        query = query.where(User.id != except_user.id)
    if session.scalar(query):
        raise EmailTaken(_l("An account with this email address already exists."), "email")


def sign_up(
    session: Session,
    hasher: Passwords,
    *,
    email: str,
    display_name: str,
    password: str,
    time_zone: str,
    locale: str,
    notify_claimed: bool = True,
    notify_travelled: str = "weekly",
    notify_team_week: bool = True,
    notify_week_ends: bool = False,
    daily_idea: bool = False,
) -> User:
    """Create an account; the notices by mail start as the person chose them on the
    form (the defaults here are those the form offers)."""
    email = clean_email(email)
    ensure_email_free(session, email)
    display_name = clean_display_name(display_name)
    check_time_zone(time_zone)
    check_locale(locale)
    check_password_rules(password)
    check_travelled(notify_travelled, "notify_travelled")
    user = User(
        email=email,
        display_name=display_name,
        password_hash=hasher.hash(password),
        time_zone=time_zone,
        locale=locale,
        notify_claimed=notify_claimed,
        notify_travelled=notify_travelled,
        notify_team_week=notify_team_week,
        notify_week_ends=notify_week_ends,
        daily_idea=daily_idea,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(
    session: Session,
    hasher: Passwords,
    email: str,
    password: str,
    *,
    moderation_contact: str,
) -> User:
    """Return the user with these credentials, upgrading an outdated hash on the way.

    A suspended person is refused with a message that says how to reach the
    moderators, at ``moderation_contact``. Only the right password learns of
    the suspension."""
    user = find_by_email(session, email)
    if user is None:
        # Hash anyway so that unknown addresses take as long as wrong passwords.
        hasher.hash(password)
        raise InvalidCredentials(_l("Email or password is wrong."))
    if not hasher.verify(user.password_hash, password):
        raise InvalidCredentials(_l("Email or password is wrong."))
    if user.suspended_at is not None:
        raise InvalidCredentials(suspension_message(moderation_contact))
    if hasher.needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
        session.flush()
    return user


def suspension_message(moderation_contact: str) -> str:
    """What a suspended person reads when they try to log in (or to reset the password):
    always an address to write to (config.moderation_contact has one for every site)."""
    return _l(
        "This account is suspended by the moderators. If you think it is a mistake,"
        " write to them at %(address)s.",
        address=moderation_contact,
    )


def update_profile(
    session: Session,
    user: User,
    *,
    display_name: str | None = None,
    time_zone: str | None = None,
    locale: str | None = None,
) -> None:
    """Change what is given (None keeps a value); every value is checked before
    any is set, so a refused one changes nothing."""
    changes = {}
    if display_name is not None:
        changes["display_name"] = clean_display_name(display_name)
    if time_zone is not None:
        changes["time_zone"] = check_time_zone(time_zone)
    if locale is not None:
        changes["locale"] = check_locale(locale)
    for name, value in changes.items():
        setattr(user, name, value)
    session.flush()


def change_password(
    session: Session, hasher: Passwords, user: User, current: str, new: str
) -> None:
    """Set a new password; every other session of the user ends."""
    require_password(hasher, user, current)
    check_password_rules(new, field="new_password")
    user.password_hash = hasher.hash(new)
    revoke_sessions(session, user)


def revoke_sessions(session: Session, user: User) -> None:
    """End every session and remember-me cookie issued to the user so far."""
    user.session_token = new_session_token()
    session.flush()


def require_password(hasher: Passwords, user: User, password: str) -> None:
    if not hasher.verify(user.password_hash, password):
        raise InvalidCredentials(_l("Your current password is not right."), "current_password")


def set_locale(session: Session, user: User, locale: str) -> None:
    user.locale = check_locale(locale)
    session.flush()


def delete_account(session: Session, hasher: Passwords, user: User, password: str) -> None:
    """Remove the person and keep every chain whole: their acts that others
    continued become anonymous placeholders, the rest go, and so do their
    contacts, notes, weeks and notices."""
    from kindness.domain import acts
    from kindness.domain.chains import statistics
    from kindness.domain.teams import membership

    require_password(hasher, user, password)
    touched = set(
        session.scalars(
            select(Act.root_id).where((Act.author_id == user.id) | (Act.recipient_id == user.id))
        )
    )
    # Deepest first, so that a forward goes before the act it continued is judged.
    for act in session.scalars(
        select(Act).where(Act.author_id == user.id).order_by(Act.depth.desc(), Act.id.desc())
    ).all():
        acts.remove(session, act, recompute=False)
    session.execute(
        update(Act)
        .where(Act.recipient_id == user.id)
        .values(recipient_id=None, recipient_named=False)
    )
    membership.delete_memberships_of(session, user.id)
    session.delete(user)
    session.flush()
    for root_id in touched:
        if session.get(ChainStats, root_id) is not None:
            statistics.recompute(session, root_id)
