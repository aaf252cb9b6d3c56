"""The team page's participation table body, drawn as one string.

Two hundred members by seven days are 1,400 cells; drawn by Jinja, each cell is a
loop step, a test and a few yields through the nested templates. Here each day's
marked cell is built and escaped once, and a row is its member's escaped name and
seven ready cells (the same markup the template drew).
"""

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _
from markupsafe import Markup, escape

from kindness.domain.teams.weeks import Participant


def participation_rows(participants: Sequence[Participant], days: Sequence[date]) -> Markup:
    """``<tr>`` per participant: their name, then a mark in each day they took part.

    Said once, not per cell: the column's header tells which day; the mark's
    label says "took part".
    """
    took_part = escape(_("took part"))
    marks = [
        f'<td><span class="took-part" role="img" aria-label="{took_part}" '
        f'data-date="{day.isoformat()}">✓</span></td>'
        for day in days
    ]
    marked = list(zip(days, marks, strict=True))
    rows = [
        f'<tr><th scope="row">{escape(person.name)}</th>'
        + "".join(mark if day in person.days else "<td></td>" for day, mark in marked)
        + "</tr>"
        for person in participants
    ]
    return Markup("\n".join(rows))  # noqa: S704 (built from escaped parts above)
