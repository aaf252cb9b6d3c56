"""Every kind of mail (``models.MAIL_KINDS``) with the function that writes it."""

from kindness.mail.messages import Builder

BUILDERS: dict[str, Builder] = {}
