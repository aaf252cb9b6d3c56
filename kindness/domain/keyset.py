"""Keyset pagination in the domain's queries: the rows after a given sort key,
read in descending order of the key's columns (newest first), so a page costs
the same however deep it is and nothing is skipped or repeated when rows are
added meanwhile."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, or_


def after_descending(columns: Sequence[Any], key: Sequence[Any]) -> ColumnElement[bool]:
    """The rows whose ``columns`` come after ``key`` in descending order,
    (a, b) < (ka, kb) written out as a < ka or (a = ka and b < kb)."""
    first, *rest = columns
    value, *rest_values = key
    if not rest:
        return first < value
    return or_(first < value, and_(first == value, after_descending(rest, rest_values)))
