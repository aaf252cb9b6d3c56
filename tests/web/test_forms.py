"""What the forms share, drawn once: the time-zone select (options escaped once per
process) and WTForms' own messages (its catalog read once per language)."""

import re

import pytest
from babel import support
from wtforms.widgets import Select

from kindness.web.forms.settings import ProfileForm
from tests.factories import make_user


def selected_zones(page: str) -> list[str]:
    select = re.search(r'<select[^>]*name="time_zone".*?</select>', page, re.S)[0]
    return re.findall(r"<option selected value=\"([^\"]+)\">", select)


@pytest.mark.parametrize("locale", ["en", "de"])
@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires"])
def test_settings_mark_the_persons_zone_in_either_language(session, log_in, locale, zone):
    client = log_in(make_user(session, time_zone=zone, locale=locale))
    page = client.get("/settings").get_data(as_text=True)
    assert selected_zones(page) == [zone]
    assert ("Zeitzone" in page) == (locale == "de")
    # And the choice after another one, from the same options drawn once.
    other = "Asia/Tokyo" if zone != "Asia/Tokyo" else "UTC"
    client.post(
        "/settings/profile", data={"display_name": "Ada", "time_zone": other, "locale": locale}
    )
    assert selected_zones(client.get("/settings").get_data(as_text=True)) == [other]


@pytest.mark.parametrize("data", ["UTC", "Europe/Berlin", "Mars/Olympus_Mons", None, ""])
def test_the_time_zone_select_draws_what_wtforms_draws(app, data):
    with app.test_request_context():
        form = ProfileForm(formdata=None, time_zone=data)
        attrs = {"aria-invalid": "true", "class": "x"}
        drawn = form.time_zone(**attrs)
        form.time_zone.widget = Select()
        assert drawn == form.time_zone(**attrs)
        assert "data-detect-time-zone" in drawn and drawn.count("<option") > 400


def test_a_refused_zone_is_kept_unselected_and_named_in_the_error(client):
    page = client.post("/signup", data={"time_zone": "<b>Mars</b>"}).get_data(as_text=True)
    assert selected_zones(page) == []
    assert "<b>Mars</b>" not in page


def test_wtforms_messages_are_read_once_per_language(client, monkeypatch):
    loads = []
    original = support.Translations.load

    def load(*args, **kwargs):
        loads.append(args)
        return original(*args, **kwargs)

    from kindness.web import forms

    forms._wtforms_catalog.cache_clear()
    monkeypatch.setattr(support.Translations, "load", load)
    for language in ("de", "en", "de", "en"):
        page = client.post(
            "/signup", data={"email": ""}, headers={"Accept-Language": language}
        ).get_data(as_text=True)
        required = "Dieses Feld wird benötigt" if language == "de" else "This field is required"
        assert required in page
    assert len(loads) == 2
