"""The participation table's rows, drawn as one string: escaped names, a mark on
each day taken part, its label in the reader's language."""

from datetime import date, timedelta

from flask_babel import force_locale

from kindness.domain.teams.weeks import Participant
from kindness.web.team_rows import participation_rows

MONDAY = date(2026, 11, 16)
DAYS = [MONDAY + timedelta(days=n) for n in range(7)]


def test_rows_escape_names_and_mark_only_the_days_taken_part(app):
    people = [
        Participant(1, "<b>Mo</b> & co", frozenset({MONDAY, DAYS[6]})),
        Participant(2, "Ann", frozenset()),
    ]
    with app.test_request_context():
        rows = str(participation_rows(people, DAYS)).split("\n")
        with force_locale("de"):
            german = str(participation_rows(people[:1], DAYS))
    assert rows[0].startswith('<tr><th scope="row">&lt;b&gt;Mo&lt;/b&gt; &amp; co</th>')
    assert rows[0].count("<td>") == 7 and rows[0].count("✓") == 2
    assert 'aria-label="took part" data-date="2026-11-16"' in rows[0]
    assert 'data-date="2026-11-22"' in rows[0] and 'data-date="2026-11-17"' not in rows[0]
    assert rows[1] == '<tr><th scope="row">Ann</th>' + "<td></td>" * 7 + "</tr>"
    assert 'aria-label="hat mitgemacht"' in german
