"""From a queued mail to a MIME message: the words of its kind, in the recipient's language.

Each kind of mail has a builder (``builders.BUILDERS``) that reads what it needs
and returns its ``Content``: a subject and the two bodies, rendered from
``templates/mail/<name>.txt`` and ``.html`` (which extend ``layout.*``) under the
recipient's locale. The envelope (From, Date, Message-ID, List-Unsubscribe) is
added here, the same for every kind.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address, BaseHeader, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from kindness.domain.mails import Outgoing
from kindness.models import LANGUAGES, User


class URLListHeader(UnstructuredHeader, BaseHeader):
    """A header that is a list of ``<URL>``s (RFC 2369, RFC 8058), written as it is.

    Folding a URL longer than a line would turn it into an RFC 2047 encoded word,
    which no mail client reads as a URL; RFC 5322 allows a line of 998 characters."""

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


_headers = HeaderRegistry()
_headers.map_to_type("list-unsubscribe", URLListHeader)
POLICY = default_policy.clone(header_factory=_headers)


@dataclass(frozen=True)
class Content:
    subject: str
    text: str
    html: str
    # The one-click unsubscribe URL (RFC 8058); None for account mail, which is always sent.
    unsubscribe_url: str | None = None


class Skip(Exception):
    """The mail has nothing left to say (its act is gone, its account deleted): send nothing."""


# A builder writes one kind of mail: it raises ``Skip`` when there is nothing to say.
Builder = Callable[[Session, Outgoing, User | None], Content]


def locale_of(user: User | None) -> str:
    if user is not None and user.locale in LANGUAGES:
        return user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def render(
    template: str, user: User | None, unsubscribe_url: str | None = None, **context
) -> tuple[str, str]:
    """The plain-text and HTML bodies of ``templates/mail/<template>``, in the user's language.

    The layout shows ``unsubscribe_url`` (and a link to the settings) when given."""
    context.update(user=user, unsubscribe_url=unsubscribe_url)
    with force_locale(locale_of(user)):
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
    return text, html


def in_language(user: User | None, words: Callable[[], str]) -> str:
    """Evaluate ``words`` (a gettext call) in the user's language: for subjects."""
    with force_locale(locale_of(user)):
        return str(words())


def build(session: Session, outgoing: Outgoing) -> EmailMessage:
    """The message for ``outgoing``; raises ``Skip`` when there is nothing to send."""
    user = session.get(User, outgoing.user_id) if outgoing.user_id is not None else None
    from kindness.mail.builders import BUILDERS  # the builders use this module's helpers

    content = BUILDERS[outgoing.kind](session, outgoing, user)
    config = current_app.config
    message = EmailMessage(policy=POLICY)
    message["Subject"] = content.subject
    message["From"] = config["MAIL_FROM"]
    message["To"] = Address(addr_spec=outgoing.to_address)
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=urlsplit(config["BASE_URL"]).hostname)
    # Mail sent by a program: no vacation auto-replies (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    if content.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{content.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(content.text)
    message.add_alternative(content.html, subtype="html")
    # After the bodies: setting a body clears every Content-* header set before.
    message["Content-Language"] = locale_of(user)
    return message
