"""Every kind of mail (``models.MAIL_KINDS``) with the function that writes it."""

from kindness.mail import notices
from kindness.mail.messages import Builder

BUILDERS: dict[str, Builder] = {
    "letter": notices.letter,
    "travelled": notices.travelled,
}
