"""The sort keys in the cursors of this API's newest-first lists: a date or a
moment, then an id. A cursor that is not one we gave is invalid input (422)."""

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_smorest import abort

from kindness.api import pagination

ID_MAX = 2**31 - 1


def _refuse() -> Any:
    abort(422, messages={"query": {"cursor": [_("This cursor is not one we gave.")]}})


def _id(value: int) -> int:
    # An id beyond the database's integers would overflow there: not one we gave.
    return value if 0 < value <= ID_MAX else _refuse()


def id_key(cursor: str | None) -> int | None:
    key = pagination.decode(cursor, (int,))
    return None if key is None else _id(key[0])


def dated_key(cursor: str | None) -> tuple[date, int] | None:
    key = pagination.decode(cursor, (str, int))
    if key is None:
        return None
    try:
        return date.fromisoformat(key[0]), _id(key[1])
    except ValueError:
        return _refuse()


def moment_key(cursor: str | None) -> tuple[datetime, int] | None:
    key = pagination.decode(cursor, (str, int))
    if key is None:
        return None
    try:
        moment = datetime.fromisoformat(key[0])
    except ValueError:
        return _refuse()
    if moment.tzinfo is None:
        return _refuse()
    return moment, _id(key[1])
