"""Account mail: confirm an address, reset a password, the old address told of a change.

Always sent (``models.ACCOUNT_MAIL_KINDS``) and so without an unsubscribe link.
The links' tokens are made here, as the mail is written, so that no working
link is ever stored in the mail log.
"""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from kindness.domain import confirmation, password_reset
from kindness.domain.mails import Outgoing
from kindness.mail import messages
from kindness.mail.messages import Content, Skip
from kindness.models import User
from kindness.urls import absolute_url_for


def _secret_key() -> str:
    return current_app.config["SECRET_KEY"]


def _reset_link(user: User, address: str) -> str:
    token = password_reset.token_for(_secret_key(), user, address)
    return absolute_url_for("password.reset", token=token)


def confirm(session: Session, outgoing: Outgoing, user: User | None) -> Content:
    address = outgoing.params.get("address", "")
    if user is None or not confirmation.still_waits(user, address):
        raise Skip("the address is confirmed or changed since")
    change = address == user.pending_email
    token = confirmation.token_for(_secret_key(), user.id, address)
    text, html = messages.render(
        "confirm",
        user,
        link=absolute_url_for("confirmation.confirm", token=token),
        address=address,
        old_address=user.email if change else None,
    )
    if change:
        subject = messages.in_language(user, lambda: _("Confirm your new address for Kindness"))
    else:
        subject = messages.in_language(user, lambda: _("Confirm your address for Kindness"))
    return Content(subject, text, html)


def reset(session: Session, outgoing: Outgoing, user: User | None) -> Content:
    address = outgoing.params.get("address", "")
    if user is None or user.suspended_at is not None or address != user.email:
        raise Skip("the account is gone, suspended or has another address now")
    text, html = messages.render("reset", user, link=_reset_link(user, address))
    subject = messages.in_language(user, lambda: _("Set a new password for Kindness"))
    return Content(subject, text, html)


def address_changed(session: Session, outgoing: Outgoing, user: User | None) -> Content:
    if user is None:
        raise Skip("the account is gone")
    old, new = outgoing.params["old"], outgoing.params["new"]
    # A link from the old mailbox: if someone else changed the address, its owner can
    # still take the account back (a new password signs everyone else out).
    reset_link = None if user.suspended_at is not None else _reset_link(user, old)
    text, html = messages.render("address_changed", user, old=old, new=new, reset_link=reset_link)
    subject = messages.in_language(user, lambda: _("The address of your Kindness account changed"))
    return Content(subject, text, html)
