"""URL converters: ids within the database's integer range, so an absurd number
in a URL is a 404 and never an overflow error."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=MAX_ID)
