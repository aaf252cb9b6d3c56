"""The links in a received mail: the path of one, found in both its parts."""

import html
import re

from tests.mailbox import Received

BASE = "http://127.0.0.1:5000"


def link_in(mail: Received, prefix: str) -> str:
    """The path of the one link under ``prefix`` (``/confirm/``) that the plain-text and
    the HTML part both carry."""
    pattern = re.escape(BASE + prefix) + r"[A-Za-z0-9._\-]+"
    in_text = set(re.findall(pattern, mail.text))
    in_html = set(re.findall(pattern, html.unescape(mail.html)))
    assert len(in_text) == 1, in_text
    assert in_html == in_text
    return in_text.pop().removeprefix(BASE)
