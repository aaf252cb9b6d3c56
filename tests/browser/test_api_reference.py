"""The API reference (/developers/api) in Chromium, on a desktop and on a phone:
every operation shown, anchors that lead somewhere, the German words, and not a
single Content-Security-Policy violation under the site's unchanged policy."""

import threading
from collections.abc import Iterator

import pytest
from flask import got_request_exception
from werkzeug.serving import make_server

from kindness import create_app
from kindness.cli import migrate
from tests.browser.conftest import LIVE_CONFIG, LiveServer, QuietHandler
from tests.browser.person import Person

pytestmark = pytest.mark.browser

SCREENS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def reference_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The app, serving the reference page."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'kindness.sqlite3'}"
    migrate.upgrade(url)
    app = create_app({**LIVE_CONFIG, "DATABASE_URL": url})
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    live = LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)

    def record(_sender, exception, **_extra) -> None:
        live.errors.append(f"{type(exception).__name__}: {exception}")

    got_request_exception.connect(record, app)
    thread = threading.Thread(target=server.serve_forever, name="reference", daemon=True)
    thread.start()
    yield live
    server.shutdown()
    thread.join(timeout=10)
    app.extensions["kindness.db"].engine.dispose()


@pytest.fixture
def reader(browser, reference_server, axe_script, axe_done, screenshots):
    """``reader("desktop")``: a person reading the reference on that screen."""
    opened: list[Person] = []

    def open_reader(screen: str, *, locale: str = "en-GB") -> Person:
        width, height = SCREENS[screen]
        options: dict = {"locale": locale, "viewport": {"width": width, "height": height}}
        if screen == "phone":
            options |= {"device_scale_factor": 2, "is_mobile": True, "has_touch": True}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        person = Person(
            f"{screen}-{locale}",
            context,
            base_url=reference_server.url,
            axe_script=axe_script,
            screenshots=screenshots,
            prefix="api_reference",
            axe_done=axe_done,
            # The whole reference is tens of thousands of pixels tall (twice that on a
            # phone's dense screen): a picture of it took Chromium past its timeout on
            # a loaded machine. A picture of the screen shows how it reads.
            full_page_shots=False,
        )
        opened.append(person)
        return person

    yield open_reader
    for person in opened:
        person.context.close()
    assert reference_server.errors == [], "the server failed while answering the browser"
    for person in opened:
        assert person.problems == [], f"{person.name} met problems after the last check"


def operation_count(app) -> int:
    with app.test_request_context():
        spec = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    methods = {"get", "put", "post", "patch", "delete"}
    return sum(1 for item in spec["paths"].values() for method in item if method in methods)


def csp_violations(person: Person) -> list[str]:
    return [problem for problem in person.problems if "Content-Security-Policy" in problem]


@pytest.mark.parametrize("screen", SCREENS)
def test_the_reference_reads_well_under_the_strict_policy(reader, reference_server, screen):
    width, height = SCREENS[screen]
    ada = reader(screen)
    ada.goto("/")
    # The footer leads to it from every page.
    ada.press(ada.link("API for developers", within="footer"))
    assert ada.path == "/developers/api"
    assert ada.heading() == "API reference"
    assert csp_violations(ada) == []
    operations = ada.page.locator("main .api-operation")
    assert operations.count() == operation_count(reference_server.app) >= 1
    assert ada.page.locator("main script, script:not([src])").count() == 0
    assert ada.horizontal_overflow() == 0
    ada.page.screenshot(path=str(ada.screenshots / f"api_reference-{width}x{height}.png"))

    # The contents lead to an operation, and a schema's name to the schema.
    ada.page.locator(".api-contents").get_by_role("link", name="GET /api/v1/me").click()
    assert ada.page.evaluate("location.hash") == "#get-api-v1-me"
    operation = ada.page.locator("#get-api-v1-me")
    assert operation.is_visible()
    operation.get_by_role("link", name="Me").first.click()
    assert ada.page.evaluate("location.hash") == "#schema-Me"
    assert ada.page.locator("#schema-Me").is_visible()
    assert csp_violations(ada) == [] and ada.problems == []


def test_the_reference_in_german(reader):
    bea = reader("phone", locale="de-DE")
    bea.goto("/developers/api")
    assert bea.heading() == "API-Referenz"
    text = bea.main_text()
    assert "Authentifizierung" in text and "Authorization: Bearer DEIN_TOKEN" in text
    assert "Braucht einen Token mit der Berechtigung read." in text
    assert bea.page.locator("footer").get_by_role("link", name="API für Entwickler").is_visible()
    assert bea.horizontal_overflow() == 0
    assert csp_violations(bea) == []
