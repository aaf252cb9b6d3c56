"""The fixed list of act categories, with their translated labels."""

from flask_babel import lazy_gettext as _l

CATEGORIES: tuple[str, ...] = (
    "time",
    "help",
    "gift",
    "listening",
    "teaching",
    "encouragement",
    "hospitality",
    "other",
)

LABELS = {
    "time": _l("Time"),
    "help": _l("Help"),
    "gift": _l("Gift"),
    "listening": _l("Listening"),
    "teaching": _l("Teaching"),
    "encouragement": _l("Encouragement"),
    "hospitality": _l("Hospitality"),
    "other": _l("Other"),
}
