"""What the pages share about account mail: the banner that asks to confirm the
address, and the allowance of confirmation links a person may ask for."""

from flask import render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user

from kindness.domain import confirmation, links
from kindness.extensions import limiter, setting

# The cookie session's key saying "not now": the banner stays away until the next sign-in
# (logging in starts a fresh session).
BANNER_HIDDEN = "confirm_banner_hidden"


def banner_address() -> str | None:
    """The address the banner asks to confirm, or None when there is no banner to show."""
    if not current_user.is_authenticated or current_user.email_confirmed_at is not None:
        return None
    if session.get(BANNER_HIDDEN):
        return None
    return confirmation.waiting_address(current_user)


def _per_person() -> str:
    # Checked before the view's own login_required: a visitor counts by address.
    who = current_user.id if current_user.is_authenticated else request.remote_addr
    return f"confirm-mail:{who}"


def _mailed(response) -> bool:
    # Only a request that went through (and redirects) may have queued a mail.
    return response.status_code == 302


def _too_many() -> str:
    return _(
        "You asked for several links in a short time. Please wait an hour before asking"
        " again, and look in your spam folder: the mail may be there already."
    )


# One allowance for "send the link again" and for changing the address, per person.
confirm_mail_limit = limiter.shared_limit(
    setting("CONFIRM_LIMIT"),
    scope="confirm-mail",
    key_func=_per_person,
    methods=["POST"],
    deduct_when=_mailed,
    error_message=_too_many,
)


def bad_link_page(problem: links.BadLink, **actions):
    """The page for a mailed link that does not work: what went wrong, in the site's look,
    with the way on (``actions`` for the template: a new link, a log-in)."""
    titles = {
        links.BROKEN: _("This link does not work"),
        links.EXPIRED: _("This link has expired"),
        links.USED: _("This link no longer works"),
    }
    page = render_template(
        "accounts/bad_link.html", title=titles[problem.reason], text=problem.message, **actions
    )
    return page, 400 if problem.reason == links.BROKEN else 410
