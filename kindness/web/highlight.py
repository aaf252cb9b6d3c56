"""The words a search found, marked in a text: built from escaped pieces, so a
person's text is never markup (only our own <mark> is)."""

from collections.abc import Iterable

from markupsafe import Markup, escape

_MARK = Markup("<mark>{}</mark>")


def highlighted(pieces: Iterable[tuple[str, bool]]) -> Markup:
    """Join (piece, matched) pieces, each escaped, the matched ones in <mark>."""
    return Markup("").join(
        _MARK.format(piece) if matched else escape(piece) for piece, matched in pieces
    )
