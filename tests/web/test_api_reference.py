"""/developers/api: the API's reference, drawn on the server from its OpenAPI
document, under the site's unchanged Content-Security-Policy."""

import re
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from kindness.api.outline import anchor
from kindness.web.security import CONTENT_SECURITY_POLICY

METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture
def reference_app(app):
    return app


@pytest.fixture
def reference_client(app):
    return app.test_client()


def spec_of(app) -> dict:
    with app.test_request_context():
        return app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.found


def test_the_page_lists_every_operation_of_the_document(reference_app, reference_client):
    response = reference_client.get("/developers/api")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    operations = [
        (method, path, operation)
        for path, item in spec_of(reference_app)["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    assert len(operations) >= 1
    for method, path, operation in operations:
        section = re.search(
            rf'<section class="card api-operation" id="{anchor(method, path)}".*?</section>',
            html,
            re.S,
        )
        assert section, (method, path)
        assert f">{method.upper()}</span>" in section.group(0)
        assert f">{path}</code>" in section.group(0)
        # Its summary, with the Markdown's code spans drawn as code.
        text = re.sub(r"<[^>]+>", "", section.group(0))
        assert str(escape(operation["summary"].replace("`", ""))) in text
        # The table of contents links to it.
        assert f'href="#{anchor(method, path)}"' in html


def test_the_page_answers_under_the_unchanged_policy_and_needs_no_script(reference_client):
    response = reference_client.get("/developers/api")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    tags = tags_of(response.get_data(as_text=True))
    assert [tag for tag, _ in tags if tag == "script"] == []
    assert [attributes for _, attributes in tags if "style" in attributes] == []
    assert [tag for tag, _ in tags if tag == "style"] == []
    stylesheets = [a["href"] for tag, a in tags if tag == "link" and a.get("rel") == "stylesheet"]
    assert stylesheets and all(href.startswith("/static/") for href in stylesheets)


def test_the_page_shows_parameters_bodies_responses_schemas_and_tokens(reference_client):
    html = reference_client.get("/developers/api").get_data(as_text=True)
    reading = html[html.index('id="get-api-v1-me"') :]
    reading = reading[: reading.index("</section>")]
    # The response: a named schema, linked to the schema itself.
    assert '<a href="#schema-Me"><code>Me</code></a>' in reading
    assert "Needs a token with the scope read." in reading
    for name in ("Me", "Problem"):
        assert f'id="schema-{name}"' in html
    assert "Authorization: Bearer YOUR_TOKEN" in html
    assert 'href="/api/v1/openapi.json"' in html
    assert 'href="/settings/tokens"' in html


def test_the_page_speaks_german(reference_client):
    html = reference_client.get(
        "/developers/api", headers={"Accept-Language": "de-DE,de;q=0.9"}
    ).get_data(as_text=True)
    assert "<h1>API-Referenz</h1>" in html
    assert "Authorization: Bearer DEIN_TOKEN" in html
    assert "Braucht einen Token mit der Berechtigung read." in html
    assert "Needs" not in html
    # The document's own texts stay English, marked so, and the reader is told.
    assert "sind auf Englisch" in html
    assert '<span lang="en">Your profile and preferences.</span>' in html
    english = reference_client.get("/developers/api").get_data(as_text=True)
    assert "in English" not in english


def test_the_footer_links_to_the_reference(reference_client):
    html = reference_client.get("/").get_data(as_text=True)
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="/developers/api">API for developers</a>' in footer


def test_code_spans_of_the_document_are_drawn_as_code_and_stay_escaped(reference_client):
    html = reference_client.get("/developers/api").get_data(as_text=True)
    main = html[html.index("<main") :]
    assert "<code>Authorization: Bearer &lt;token&gt;</code>" in main
    assert "<code>application/problem+json</code>" in main
    # No backtick of the Markdown is left in the text a person reads.
    visible = re.sub(r"<[^>]+>", "", main)
    assert "`" not in visible
