"""Language choice and the completeness of the German catalogue."""

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from kindness import PROJECT_ROOT
from tests.catalogs import TRANSLATIONS, compile_catalogs
from tests.factories import make_user

GERMAN = PROJECT_ROOT / "kindness" / "translations" / "de" / "LC_MESSAGES" / "messages.po"


def test_the_suite_compiles_the_catalogue_the_app_reads():
    # The session fixture compiled it already, so a second pass has nothing to do.
    assert GERMAN.is_relative_to(TRANSLATIONS)
    assert compile_catalogs() == []
    assert GERMAN.with_suffix(".mo").stat().st_mtime >= GERMAN.stat().st_mtime


def translated(string: str | tuple[str, ...]) -> bool:
    """A translation, with every plural form filled in."""
    return all(string) if isinstance(string, tuple) else bool(string)


def test_german_catalogue_translates_every_string(tmp_path):
    template = tmp_path / "messages.pot"
    config = str(PROJECT_ROOT / "babel.cfg")
    arguments = ["-q", "extract", "-F", config, "-k", "_l", "-o", str(template)]
    CommandLineInterface().run(["pybabel", *arguments, str(PROJECT_ROOT)])
    with template.open("rb") as handle:
        extracted = {(message.context, message.id) for message in read_po(handle) if message.id}
    with GERMAN.open("rb") as handle:
        german = {
            (message.context, message.id): message for message in read_po(handle) if message.id
        }
    assert len(extracted) > 50
    missing = sorted(str(msgid) for msgid in extracted if msgid not in german)
    untranslated = sorted(
        str(msgid)
        for msgid in extracted
        if msgid in german and (not translated(german[msgid].string) or german[msgid].fuzzy)
    )
    assert missing == [], "run `make translations-update` and translate these"
    assert untranslated == []


def test_browser_language_is_used_for_visitors(client):
    page = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    text = page.get_data(as_text=True)
    assert 'lang="de"' in text
    assert "Eine Woche Geben ohne Hintergedanken" in text
    english = client.get("/", headers={"Accept-Language": "fr, en;q=0.5"})
    assert "One week of giving without strings" in english.get_data(as_text=True)


def test_unknown_browser_language_falls_back_to_english(client):
    page = client.get("/", headers={"Accept-Language": "ja"})
    assert 'lang="en"' in page.get_data(as_text=True)


def test_visitor_can_switch_language(client):
    response = client.post("/language", data={"locale": "de", "next": "/login"})
    assert response.headers["Location"] == "/login"
    assert "Anmelden" in client.get("/login", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )


def test_language_switch_refuses_unknown_language_and_foreign_next(client):
    assert client.post("/language", data={"locale": "xx"}).status_code == 400
    response = client.post("/language", data={"locale": "de", "next": "//evil.example"})
    assert response.headers["Location"] == "/"


def test_user_setting_beats_browser_language(session, log_in):
    client = log_in(make_user(session, locale="de"))
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Hallo" in page


def test_signed_in_language_switch_is_saved(session, log_in):
    user = make_user(session, locale="de")
    client = log_in(user)
    client.post("/language", data={"locale": "en"})
    session.expire_all()
    assert session.get(type(user), user.id).locale == "en"


def test_form_errors_are_translated(client):
    response = client.post(
        "/signup",
        data={"email": "", "password": "x", "display_name": "", "locale": "de"},
        headers={"Accept-Language": "de"},
    )
    text = response.get_data(as_text=True)
    assert "Dieses Feld wird benötigt" in text
    assert "Verwende zwischen 10 und 256 Zeichen" in text


def test_every_place_reads_the_one_list_of_languages(client, monkeypatch):
    from kindness.models import LANGUAGES

    monkeypatch.setitem(LANGUAGES, "eo", "Esperanto")
    page = client.get("/signup").get_data(as_text=True)
    # The footer's switch and the sign-up form's choice, both named in the language.
    assert page.count('value="eo"') == 2 and page.count(">Esperanto<") == 2
    assert client.post("/language", data={"locale": "eo", "next": "/"}).status_code == 302
    assert '<html lang="eo">' in client.get("/").get_data(as_text=True)
    monkeypatch.delitem(LANGUAGES, "eo")
    assert client.post("/language", data={"locale": "eo"}).status_code == 400
    assert 'value="eo"' not in client.get("/signup").get_data(as_text=True)
