"""Fixtures of the browser tests: the app served on 127.0.0.1 from a thread,
Debian's Chromium driven by Playwright, a frozen clock, and ``people``, which
opens a browser context per person.

Without Chromium, Playwright or npm (for axe-core) the tests skip with one line
on a developer's machine and fail in CI (CI=true).
"""

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import pytest
import time_machine
from flask import Flask, got_request_exception
from werkzeug.serving import WSGIRequestHandler, make_server

from kindness import create_app
from kindness.cli import migrate
from tests.browser.person import Person
from tests.databases import in_ci

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("KINDNESS_TEST_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling home, which a
# closed network answers with a flood of failures.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A Monday morning in Berlin. The server's clock is frozen there (and ticks on)
# in every browser test, so "today" never depends on when the suite runs.
MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)

LIVE_CONFIG = {
    "TESTING": False,
    "SECRET_KEY": "browser-test-secret-key",
    "WTF_CSRF_ENABLED": True,  # real forms, real tokens
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 8,
    "ARGON2_PARALLELISM": 1,
    "LOGIN_LIMIT": "1000 per minute",
    "SIGNUP_LIMIT": "1000 per minute",
    "CLAIM_LIMIT": "1000 per minute",
    "RATELIMIT_STORAGE_URI": "memory://",
    "REDIS_URL": None,
}


def unavailable(reason: str) -> NoReturn:
    if in_ci():
        pytest.fail(f"browser tests cannot run: {reason} (CI requires them)", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@dataclass
class LiveServer:
    url: str
    app: Flask
    errors: list[str] = field(default_factory=list)


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *_args) -> None:
        """Keep the test output free of one line per request (errors still show)."""


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The app on a free port of 127.0.0.1, on a fresh SQLite database, in a thread."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'kindness.sqlite3'}"
    migrate.upgrade(url)
    app = create_app({**LIVE_CONFIG, "DATABASE_URL": url})
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    live = LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    app.config["BASE_URL"] = live.url  # cards and invites link to this server's own port

    def record(_sender, exception, **_extra) -> None:
        live.errors.append(f"{type(exception).__name__}: {exception}")

    got_request_exception.connect(record, app)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield live
    server.shutdown()
    thread.join(timeout=10)
    app.extensions["kindness.db"].engine.dispose()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, through Playwright (whose own browsers are not used)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's script, installed with npm from tests/browser/package.json when missing."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            unavailable("npm is missing, so axe-core cannot be installed")
        done = subprocess.run(  # noqa: S603  (a fixed command)
            [npm, "install", "--no-audit", "--no-fund", "--no-package-lock"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0 or not AXE.exists():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            unavailable(f"npm install of axe-core failed: {last}")
    return AXE


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder of this run's screenshots (git ignores it), emptied first."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    """The server's clock, from Monday 16 November 2026, 11:00 in Berlin; ``shift`` it
    to live through the week. (Chromium keeps its own clock; no page reads it.)"""
    with time_machine.travel(MONDAY, tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="session")
def axe_done() -> set[str]:
    """The kinds of page axe-core has checked in this run (see ``Person.seen``)."""
    return set()


@pytest.fixture
def people(request, browser, live_server, axe_script, axe_done, screenshots):
    """``people("ada")`` opens a new browser context for one person; every page
    that person sees is checked and photographed (see ``Person``)."""
    opened: list[Person] = []
    test_name = request.node.name.removeprefix("test_")

    def open_person(name: str, *, locale: str = "en-GB", phone: bool = False) -> Person:
        options = {"locale": locale, "timezone_id": "Europe/Berlin"}
        if phone:
            options |= {
                "viewport": {"width": 390, "height": 844},
                "device_scale_factor": 2,
                "is_mobile": True,
                "has_touch": True,
            }
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        person = Person(
            name,
            context,
            base_url=live_server.url,
            axe_script=axe_script,
            screenshots=screenshots,
            prefix=test_name,
            axe_done=axe_done,
        )
        opened.append(person)
        return person

    yield open_person
    for person in opened:
        person.context.close()
    server_errors, live_server.errors[:] = list(live_server.errors), []
    assert server_errors == [], "the server failed while answering the browser"
    for person in opened:
        assert person.problems == [], f"{person.name} met problems after the last check"
