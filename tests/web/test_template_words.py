"""Templates' gettext functions bound once per render (kindness/web/template_words.py)
write what Flask-Babel's own write, in the language of the render."""

import pytest
from flask import render_template_string
from flask_babel import force_locale

SOURCE = (
    '{{ _("Inbox") }}'
    '|{{ _("%(name)s claimed your card: “%(what)s”", name="<b>Ann</b>", what="a & b") }}'
    '|{{ _("100%% kind") }}|{{ ngettext("%(num)d person", "%(num)d people", 1) }}'
    '|{{ ngettext("%(num)d person", "%(num)d people", 3) }}'
    '|{{ npgettext("the team\'s tally", "person helped", "people helped", 2) }}'
    "|{% trans count=2 %}{{ count }} act{% pluralize %}{{ count }} acts{% endtrans %}"
)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_bound_functions_write_what_flask_babels_write(app, language):
    with app.test_request_context("/", headers={"Accept-Language": language}):
        ours = render_template_string(SOURCE)  # with the context processor's functions
        theirs = app.jinja_env.from_string(SOURCE).render()  # Flask-Babel's globals alone
    assert ours == theirs
    assert "&lt;b&gt;Ann&lt;/b&gt;" in ours and "a &amp; b" in ours
    assert "100% kind" in ours


def test_the_languages_differ_and_force_locale_is_followed(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        english = render_template_string(
            '{{ _("Inbox") }} {{ ngettext("%(num)d person", "%(num)d people", 3) }}'
        )
        with force_locale("de"):
            german = render_template_string(
                '{{ _("Inbox") }} {{ ngettext("%(num)d person", "%(num)d people", 3) }}'
            )
    assert english == "Inbox 3 people"
    assert german != english and "3" in german
