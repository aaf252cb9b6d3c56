"""One base URL, trusted proxies, valid hosts: links never come from the Host
header, bad hosts get a 400 page, rate limits see the real client."""

import itertools
import re

import pytest
from sqlalchemy import select

from kindness import create_app
from kindness.domain.teams import membership
from kindness.models import Pass
from kindness.urls import absolute_url_for
from kindness.web.qr import qr_svg
from tests.clock import TODAY
from tests.conftest import TEST_CONFIG, joined_app
from tests.factories import PASSWORD, make_act, make_user
from tests.qr import read_qr

BASE = "https://kind.example"
# Everything a client can send to name another host, scheme or prefix.
FORGED = {
    "Host": "evil.example",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "http",
    "X-Forwarded-Prefix": "/evil",
}
_accounts = itertools.count(1)
BAD_HOSTS = ["a" * 64 + ".example", "a..example", "exa mple", "ex<ample>", "example:99999", ""]


@pytest.fixture
def app(database):
    """Behind one proxy, so the forged X-Forwarded-* headers would count if anything read them."""
    with joined_app(database, BASE_URL=BASE + "/", PROXY_HOPS=1) as app:
        yield app


def forged_login(app, user):
    """A client that sends every request, its log-in included, with the forged headers."""
    client = app.test_client()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD}, headers=FORGED
    )
    assert response.status_code == 302
    return client


def assert_no_evil(page: str) -> None:
    assert "evil" not in page
    absolute = re.findall(r"https?://[^\s\"'<]+", page)
    assert absolute, "the page has no absolute URL to check"
    for url in absolute:
        assert url.startswith(BASE + "/") or url.startswith("http://www.w3.org/"), url


@pytest.mark.usefixtures("clock")
def test_card_link_and_qr_code_use_the_base_url(app, session):
    ada = make_user(session)
    act = make_act(session, ada, TODAY)
    client = forged_login(app, ada)
    client.post(f"/acts/{act.id}/pass", headers=FORGED)
    response = client.get(f"/acts/{act.id}/card", headers=FORGED)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    expected = f"{BASE}/p/{session.scalars(select(Pass)).one().code}"
    assert expected in page
    assert str(qr_svg(expected)) in page  # the QR code encodes exactly that link
    assert_no_evil(page)


@pytest.mark.usefixtures("clock")
def test_team_invite_link_uses_the_base_url(app, session):
    olga = make_user(session)
    team = membership.create(session, olga, name="Night Shift", description="", is_public=False)
    session.commit()
    page = forged_login(app, olga).get(f"/teams/{team.slug}", headers=FORGED)
    text = page.get_data(as_text=True)
    assert f'id="invite-link">{BASE}/teams/join/{team.invite_code}</code>' in text
    assert_no_evil(text)
    # Its QR code, as a file and on the page to print, carries the same link.
    client = forged_login(app, olga)
    svg = client.get(f"/teams/{team.slug}/invite.svg", headers=FORGED).text
    assert read_qr(svg) == [f"{BASE}/teams/join/{team.invite_code}"]
    assert_no_evil(svg)
    printable = client.get(f"/teams/{team.slug}/invite/print", headers=FORGED).text
    assert f'href="{BASE}/teams/join/{team.invite_code}"' in printable
    assert_no_evil(printable)


@pytest.mark.usefixtures("clock")
def test_chain_preview_and_share_link_use_the_base_url(app, session):
    act = make_act(session, make_user(session), TODAY, visibility="public")
    response = app.test_client().get(f"/chains/{act.ref}", headers=FORGED)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    share, card = f"{BASE}/chains/{act.ref}", f"{BASE}/chains/{act.ref}/card.png"
    assert f'<meta property="og:url" content="{share}">' in page
    assert f'<meta property="og:image" content="{card}">' in page
    assert f'<meta name="twitter:image" content="{card}">' in page
    assert f'id="share-link" type="url" readonly value="{share}"' in page
    assert_no_evil(page)


def test_absolute_urls_need_no_request_and_keep_a_path_prefix(database):
    with joined_app(database, BASE_URL="https://Kind.Example:8443/kindness/") as app:
        with app.app_context():
            url = absolute_url_for("passes.landing", code="a b")
        assert url == "https://kind.example:8443/kindness/p/a%20b"
        with app.test_request_context("/", base_url="http://evil.example/other"):
            assert absolute_url_for("teams.join", code="x") == (
                "https://kind.example:8443/kindness/teams/join/x"
            )


@pytest.mark.parametrize(
    "url", ["kind.example", "ftp://kind.example", "https://", "https://u:p@kind.example",
            "https://kind.example?x=1", "https://kind.example:port", "https://" + "a" * 64]
)  # fmt: skip
def test_a_bad_base_url_stops_the_start(url):
    with pytest.raises(ValueError, match="BASE_URL must be an http"):
        create_app({**TEST_CONFIG, "BASE_URL": url})


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("KINDNESS_BASE_URL", "https://kind.example/")
    monkeypatch.setenv("KINDNESS_PROXY_HOPS", "2")
    monkeypatch.setenv("KINDNESS_ALLOWED_HOSTS", "kind.example, .Kind.Example")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["BASE_URL"] == "https://kind.example"
    assert app.config["PROXY_HOPS"] == 2
    assert app.config["ALLOWED_HOSTS"] == ("kind.example", ".kind.example")
    monkeypatch.setenv("KINDNESS_PROXY_HOPS", "-1")
    with pytest.raises(ValueError, match="PROXY_HOPS"):
        create_app({"SECRET_KEY": "x"})


@pytest.mark.parametrize("host", BAD_HOSTS)
@pytest.mark.parametrize("path", ["/", "/healthz", "/no/such/page"])
def test_an_invalid_host_gets_a_400_page_not_a_500(client, host, path):
    for response in (
        client.get(path, headers={"Host": host}),
        client.get(path, environ_overrides={"HTTP_HOST": host}),
    ):
        assert response.status_code == 400
        assert response.mimetype == "text/html"
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "does not answer to that host name" in response.get_data(as_text=True)


def test_an_invalid_host_gets_json_under_the_api(client):
    response = client.get("/api/v1/anything", headers={"Host": "a" * 64 + ".example"})
    assert response.status_code == 400
    assert response.get_json()["status"] == 400
    assert "Content-Security-Policy" in response.headers


def test_any_valid_host_is_served_when_no_hosts_are_listed(client):
    assert client.get("/", headers={"Host": "anything.example:8080"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:5000"}).status_code == 200


def test_only_listed_hosts_are_served_but_probes_answer_any(database):
    listed = "www.kind.example, .team.example"
    with joined_app(database, BASE_URL=BASE, ALLOWED_HOSTS=listed) as app:
        client = app.test_client()
        served = ("kind.example", "WWW.kind.example.:8443", "a.team.example", "team.example")
        for host in served:
            assert client.get("/", headers={"Host": host}).status_code == 200, host
        for host in ("evil.example", "kind.example.evil.example", "evilteam.example", "10.0.0.5"):
            refused = client.get("/", headers={"Host": host})
            assert refused.status_code == 400, host
            assert "Content-Security-Policy" in refused.headers
            assert "does not answer to that host name" in refused.get_data(as_text=True)
        api = client.get("/api/v1/anything", headers={"Host": "evil.example"})
        assert (api.status_code, api.get_json()["status"]) == (400, 400)
        probe = client.get("/healthz", headers={"Host": "10.0.0.5:8000"})
        assert (probe.status_code, probe.get_json()["status"]) == (200, "ok")
        assert client.get("/healthz", headers={"Host": "a" * 64}).status_code == 400


def failed_logins(client, count: int, forwarded_for: str) -> list[int]:
    """Fail ``count`` log-ins from behind the proxy at 10.0.0.1, a new account each time
    (so only the per-address limit can bite)."""
    return [
        client.post(
            "/login",
            data={"email": f"nobody{next(_accounts)}@example.org", "password": "wrong!"},
            headers={"X-Forwarded-For": forwarded_for},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        ).status_code
        for _ in range(count)
    ]


def test_behind_a_proxy_clients_are_limited_by_their_own_address(database):
    with joined_app(database, PROXY_HOPS=1, LOGIN_LIMIT="2 per minute") as app:
        client = app.test_client()
        assert failed_logins(client, 3, "203.0.113.7") == [422, 422, 429]
        assert failed_logins(client, 2, "198.51.100.9") == [422, 422]
        # A client cannot add addresses in front of the one the proxy appended.
        assert failed_logins(client, 1, "192.0.2.1, 203.0.113.7") == [429]


def test_without_proxies_a_forged_forwarded_for_is_ignored(database):
    with joined_app(database, PROXY_HOPS=0, LOGIN_LIMIT="2 per minute") as app:
        client = app.test_client()
        statuses = [failed_logins(client, 1, f"203.0.113.{n}")[0] for n in range(3)]
        assert statuses == [422, 422, 429]
