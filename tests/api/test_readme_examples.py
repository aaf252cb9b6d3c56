"""The README's ``curl`` examples of the API, read from its text and sent to the
app as the HTTP requests they are, in order, so they cannot rot.

Only the few curl options the README uses are understood; any other option
fails the test rather than being ignored, and so does an address other than
the one ``make run`` serves."""

import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from kindness.models import Act
from tests.api.conftest import token_for
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("clock")

README = Path(__file__).resolve().parents[2] / "README.md"
MAKE_RUN_ORIGIN = "http://127.0.0.1:5000"


def api_section() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## The API\n(.*?)^## ", text, flags=re.MULTILINE | re.DOTALL)
    assert match, "README.md has no '## The API' section"
    return match.group(1)


def curl_commands(section: str) -> list[str]:
    """Each ``curl`` command of the section's shell blocks, its continued lines joined."""
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", section, flags=re.MULTILINE | re.DOTALL):
        joined = block.replace("\\\n", " ")
        commands += [line.strip() for line in joined.splitlines() if line.startswith("curl ")]
    return commands


def as_request(command: str, token: str) -> dict:
    """The test client's arguments for one curl command, ``$KINDNESS_TOKEN`` put in."""
    words = shlex.split(command.replace("$KINDNESS_TOKEN", token))[1:]
    method, headers, data, url = None, {}, None, None
    while words:
        word = words.pop(0)
        if word == "-X":
            method = words.pop(0)
        elif word == "-H":
            name, _, value = words.pop(0).partition(":")
            headers[name.strip()] = value.strip()
        elif word == "-d":
            data = words.pop(0)
        elif word.startswith("-"):
            pytest.fail(f"the test does not know curl's {word}: {command}")
        else:
            assert url is None, f"two addresses in {command}"
            url = word
    assert url and url.startswith(MAKE_RUN_ORIGIN + "/"), f"not make run's address: {command}"
    address = urlsplit(url)
    return {
        "method": method or ("POST" if data is not None else "GET"),
        "path": address.path,
        "query_string": address.query,
        "headers": headers,
        "data": data,
    }


def test_the_readme_has_three_examples():
    commands = curl_commands(api_section())
    assert len(commands) == 3
    assert all("$KINDNESS_TOKEN" in command for command in commands)


def test_the_readme_examples_work_as_written(app, session):
    ada = make_user(session, display_name="Ada from the README")
    token = token_for(session, ada)
    answers = []
    for command in curl_commands(api_section()):
        response = app.test_client().open(**as_request(command, token))
        assert 200 <= response.status_code < 300, (command, response.get_data(as_text=True))
        assert response.mimetype == "application/json"
        answers.append(json.loads(response.get_data(as_text=True)))

    me, logged, listed = answers
    assert me["display_name"] == "Ada from the README"
    session.expire_all()
    stored = session.scalars(select(Act).where(Act.author_id == ada.id)).all()
    assert [act.what for act in stored] == [logged["what"]]
    assert [item["id"] for item in listed["items"]] == [logged["id"]]


def test_an_unknown_curl_option_is_not_ignored():
    with pytest.raises(pytest.fail.Exception):
        as_request(f"curl -k {MAKE_RUN_ORIGIN}/api/v1/me", "kind_x")
