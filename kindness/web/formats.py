"""Words and dates for pictures of many labels, looked up once per picture.

A heatmap has 371 day titles, a chain a date under every act. Flask-Babel's
``format_date``, ``gettext`` and ``ngettext`` find this request's language and
translations again on every call, and ``format_date`` looks the locale's pattern
and its month and day names up again on every day. A picture instead takes
``Words()`` (this request's translations, fetched once) and ``day_format(...)``
(the pattern compiled once into a function of the day), and formats each label
with them: the same text as Flask-Babel's, at a fraction of the cost
(tests/web/test_formats.py holds them to each other in English and German).

Message ids stay literal calls (``words.ngettext("%(num)d act", ...)``), so
``pybabel extract`` finds them as before.
"""

import re
from collections.abc import Callable
from datetime import date
from typing import Literal

from babel import Locale
from babel.dates import DateTimeFormat, get_date_format, get_day_names, get_month_names
from flask_babel import format_date, get_locale, get_translations

_FIELD = re.compile(r"%\((\w+)\)s")
_MONTH_WIDTHS: dict[int, Literal["abbreviated", "wide", "narrow"]] = {
    3: "abbreviated",
    4: "wide",
    5: "narrow",
}
_DAY_WIDTHS: dict[int, Literal["abbreviated", "wide", "narrow", "short"]] = {
    3: "abbreviated",
    4: "wide",
    5: "narrow",
    6: "short",
}


class Words:
    """This request's translations, fetched once; the methods read as Flask-Babel's
    (``num`` is offered to an ``ngettext`` pattern, variables fill the pattern)."""

    def __init__(self) -> None:
        self._translations = get_translations()

    def gettext(self, string: str, **variables: object) -> str:
        text = self._translations.ugettext(string)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int, **variables: object) -> str:
        variables.setdefault("num", num)
        return self._translations.ungettext(singular, plural, num) % variables

    def pgettext(self, context: str, string: str, **variables: object) -> str:
        text = self._translations.upgettext(context, string)
        return text % variables if variables else text


def day_format(
    format: Literal["short", "medium", "long", "full"] = "medium",
) -> Callable[[date], str]:
    """``flask_babel.format_date(day, format)`` in this request's language, as a
    function of the day: the locale's pattern and its names are looked up once.

    The app sets no Flask-Babel ``date_formats``, so a named format is the
    locale's own pattern, as ``format_date`` uses it.
    """
    locale = get_locale()
    if locale is None:  # outside a request: Flask-Babel's own, whatever it does
        return lambda day: format_date(day, format)
    # Babel's pattern as a %-template of its fields: "%(MMM)s %(d)s, %(y)s".
    template = str(get_date_format(format, locale).format)
    fields = [(name, _field(name, locale)) for name in dict.fromkeys(_FIELD.findall(template))]

    def formatted(day: date) -> str:
        return template % {name: field(day) for name, field in fields}

    return formatted


def _field(name: str, locale: Locale) -> Callable[[date], str]:
    """One field of a date pattern as Babel's ``DateTimeFormat`` writes it, with its
    names looked up once; fields a date pattern rarely has are left to Babel."""
    char, width = name[0], len(name)
    if char == "d":
        return lambda day: f"{day.day:0{width}d}"
    if char == "y":
        if width == 2:
            return lambda day: f"{day.year:02d}"[-2:]
        return lambda day: f"{day.year:0{width}d}"
    if char in "ML":
        if width <= 2:
            return lambda day: f"{day.month:0{width}d}"
        month_context: Literal["format", "stand-alone"] = "format" if char == "M" else "stand-alone"
        months = _table(get_month_names(_MONTH_WIDTHS[width], month_context, locale))
        return lambda day: months[day.month]
    if char == "E" or (char == "c" and width >= 3):
        day_context: Literal["format", "stand-alone"] = "stand-alone" if char == "c" else "format"
        days = _table(get_day_names(_DAY_WIDTHS[max(width, 3)], day_context, locale))
        return lambda day: days[day.weekday()]
    return lambda day: DateTimeFormat(day, locale)[name]


def _table(names) -> dict[int, str]:
    # Babel's LocaleDataDict resolves aliases on every lookup; a plain dict does not.
    return {number: names[number] for number in names}
