"""Ids from outside: within the database's integer range, so an absurd number
in a URL or a form is a 404 (or ignored) and never an overflow error."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=MAX_ID)


def parse_id(value: str) -> int | None:
    """An id sent in a form: ASCII digits within the database's range, else None.

    (``str.isdigit`` alone lets through "²", which ``int`` refuses.)"""
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None
