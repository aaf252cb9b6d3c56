"""Every kind of mail (``models.MAIL_KINDS``) with the function that writes it."""

from kindness.mail import account, notices
from kindness.mail.messages import Builder

BUILDERS: dict[str, Builder] = {
    "confirm": account.confirm,
    "reset": account.reset,
    "address_changed": account.address_changed,
    "letter": notices.letter,
    "travelled": notices.travelled,
}
