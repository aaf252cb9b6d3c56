"""Cursors: what one encodes decodes back; anything else is refused as invalid input."""

import base64

import pytest
from werkzeug.exceptions import UnprocessableEntity

from kindness.api import pagination


def test_a_cursor_round_trips():
    cursor = pagination.encode(["2026-12-01", 42])
    assert pagination.decode(cursor, (str, int)) == ["2026-12-01", 42]
    assert pagination.decode(None, (str, int)) is None


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "!!!",
        "bm90IGpzb24",
        pagination.encode([1, 2]),
        pagination.encode(["a"]),
        "é",
        # Values no query could take: a NUL, a lone surrogate, an integer past 64 bits.
        pagination.encode(["a\x00", 1]),
        base64.urlsafe_b64encode(b'["\\ud800",1]').decode(),
        pagination.encode(["a", 2**63]),
        pagination.encode(["a", -(2**63) - 1]),
    ],
)
def test_a_cursor_we_did_not_give_is_422(app, cursor):
    with app.test_request_context(), pytest.raises(UnprocessableEntity):
        pagination.decode(cursor, (str, int))


def test_a_page_says_whether_another_follows():
    assert pagination.page([1, 2, 3], 2, lambda n: [n]) == {
        "items": [1, 2],
        "next_cursor": pagination.encode([2]),
    }
    assert pagination.page([1, 2], 2, lambda n: [n])["next_cursor"] is None
