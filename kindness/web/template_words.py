"""Every template's ``_``, ``gettext``, ``ngettext``, ``pgettext`` and ``npgettext``
bound to the translations of the language the template is rendered in, looked up
once per render.

Flask-Babel installs Jinja's gettext functions as ``get_translations().ugettext(s)``:
each call finds the request's Babel context, its locale and its translations
again (the inbox calls them about 170 times a page). A context processor runs
once per ``render_template``, inside whatever ``force_locale`` the caller set
(a mail in its reader's language), and hands the template functions bound to
the translations of that moment; ``_`` resolves ``gettext`` from the template's
context (jinja2.ext), so every call in the template and its includes takes them.
What they return is what Jinja's own newstyle functions return: the translation
marked safe under autoescape and filled with escaped variables (``rv % variables``,
always, so ``%%`` reads ``%``). Macros imported without context keep Flask-Babel's.
"""

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_babel import get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


def init_app(app: Flask) -> None:
    app.context_processor(bound_gettext)


def bound_gettext() -> dict[str, Callable[..., str]]:
    translations = get_translations()
    return {
        "gettext": _gettext(translations.ugettext),
        "ngettext": _ngettext(translations.ungettext),
        "pgettext": _pgettext(translations.upgettext),
        "npgettext": _npgettext(translations.unpgettext),
    }


def _gettext(find: Callable[[str], str]) -> Callable[..., str]:
    @pass_context
    def gettext(context: Context, string: str, /, **variables: Any) -> str:
        text = find(string)
        return _marked(context, text) % variables

    return gettext


def _ngettext(find: Callable[[str, str, int], str]) -> Callable[..., str]:
    @pass_context
    def ngettext(
        context: Context, singular: str, plural: str, num: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        text = find(singular, plural, num)
        return _marked(context, text) % variables

    return ngettext


def _pgettext(find: Callable[[str, str], str]) -> Callable[..., str]:
    @pass_context
    def pgettext(context: Context, message_context: str, string: str, /, **variables: Any) -> str:
        variables.setdefault("context", message_context)
        text = find(message_context, string)
        return _marked(context, text) % variables

    return pgettext


def _npgettext(find: Callable[[str, str, str, int], str]) -> Callable[..., str]:
    @pass_context
    def npgettext(
        context: Context,
        message_context: str,
        singular: str,
        plural: str,
        num: int,
        /,
        **variables: Any,
    ) -> str:
        variables.setdefault("context", message_context)
        variables.setdefault("num", num)
        text = find(message_context, singular, plural, num)
        return _marked(context, text) % variables

    return npgettext


def _marked(context: Context, text: str) -> str:
    # As Jinja's own newstyle gettext: the catalogue's text is markup under autoescape,
    # and the variables are escaped as they fill it.
    if context.eval_ctx.autoescape:
        return Markup(text)  # noqa: S704 (our own catalogue's text, never a visitor's)
    return text
