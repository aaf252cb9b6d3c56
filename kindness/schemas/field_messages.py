"""marshmallow's own words for a field that is wrong ("Not a valid integer.",
"Length must be between 3 and 500.") in the reader's language.

webargs hands them over already formatted in English; each is matched against
the template it came from, and the template's translation is formatted with
the same values. The messages of the domain's rules are translated where they
are raised and match no template here, so they pass through unchanged."""

import re
from typing import Any

from flask_babel import gettext


def N_(text: str) -> str:
    """Marks a template for the catalogue without translating it here."""
    return text


# marshmallow 4's messages for the fields and validators the API's requests use
# (Range with inclusive bounds, its default).
TEMPLATES = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Invalid input type."),
    N_("Unknown field."),
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Not a valid boolean."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid list."),
    N_("Not a valid mapping type."),
    N_("String does not match expected pattern."),
    N_("Length must be between {min} and {max}."),
    N_("Shorter than minimum length {min}."),
    N_("Longer than maximum length {max}."),
    N_("Length must be {equal}."),
    N_("Must be one of: {choices}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than or equal to {min}."),
    N_("Must be less than or equal to {max}."),
)


def _pattern(template: str) -> re.Pattern[str]:
    escaped = re.escape(template)
    return re.compile(
        "^" + re.sub(r"\\\{(\w+)\\\}", lambda found: f"(?P<{found.group(1)}>.+?)", escaped) + "$",
        re.DOTALL,
    )


PATTERNS = tuple((template, _pattern(template)) for template in TEMPLATES)


def translated(message: str) -> str:
    """``message`` in the current language if it is one of marshmallow's, else as it is."""
    for template, pattern in PATTERNS:
        found = pattern.match(message)
        if found:
            return gettext(template).format(**found.groupdict())
    return message


def translate(errors: Any) -> Any:
    """The same nesting of fields (and list positions) with every message translated."""
    if isinstance(errors, dict):
        return {key: translate(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [translate(value) for value in errors]
    if isinstance(errors, str):
        return translated(errors)
    return errors
