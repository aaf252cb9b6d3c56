"""CSRF, security headers, error pages, rate limits and the health check."""

import pytest
from flask import abort

from kindness.web.navigation import is_safe_next
from tests.factories import PASSWORD, make_user

POST_ROUTE_DATA = {
    "/signup": {"email": "x@example.org", "password": PASSWORD, "display_name": "X"},
    "/login": {"email": "x@example.org", "password": PASSWORD},
    "/language": {"locale": "de"},
}


def post_routes(app, api: bool = False) -> list[str]:
    """The POST routes without arguments: the pages' (``api`` False), or the API's."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.arguments and rule.rule.startswith("/api/") == api
    )


def test_every_post_route_refuses_a_request_without_csrf_token(app, session, log_in):
    client = log_in(make_user(session))
    app.config["WTF_CSRF_ENABLED"] = True
    routes = post_routes(app)
    assert {"/login", "/logout", "/signup", "/settings/password"} <= set(routes)
    for route in routes:
        response = client.post(route, data=POST_ROUTE_DATA.get(route, {}))
        assert response.status_code == 400, route
        assert "CSRF" in response.get_data(as_text=True), route
    # Still logged in: the refused logout changed nothing.
    assert client.get("/settings").status_code == 200


def test_a_session_does_not_authenticate_an_api_post(app, session, log_in):
    """The API needs no CSRF token: a browser's session cookie does not count there."""
    client = log_in(make_user(session))
    app.config["WTF_CSRF_ENABLED"] = True
    routes = post_routes(app, api=True)
    assert routes
    for route in routes:
        response = client.post(route, json={})
        assert response.status_code == 401, route


def test_a_post_with_the_csrf_token_passes(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"csrf_token": token, "email": "nobody@example.org", "password": "x" * 12}
    )
    assert response.status_code == 422
    assert "Email or password is wrong" in response.get_data(as_text=True)


def assert_security_headers(response):
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_security_headers_on_ok_and_error_responses(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/test-bad-request")
    def bad_request():
        abort(400)

    @app.get("/test-crash")
    def crash():
        raise RuntimeError("boom")

    for path, status in [
        ("/", 200),
        ("/test-bad-request", 400),
        ("/no-such-page", 404),
        ("/test-crash", 500),
    ]:
        response = client.get(path)
        assert response.status_code == status, path
        assert_security_headers(response)


def test_error_pages_are_html_in_the_site_look_and_json_under_api(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/test-crash")
    def crash():
        raise RuntimeError("boom")

    page = client.get("/no-such-page")
    assert page.mimetype == "text/html"
    assert "There is nothing here" in page.get_data(as_text=True)
    assert 'class="site-header"' in page.get_data(as_text=True)
    crashed = client.get("/test-crash")
    assert crashed.status_code == 500
    assert "It is our fault" in crashed.get_data(as_text=True)
    assert "boom" not in crashed.get_data(as_text=True)
    api = client.get("/api/v1/nothing")
    assert api.status_code == 404
    assert api.is_json
    assert api.get_json()["status"] == 404
    wrong_method = client.get("/logout")
    assert wrong_method.status_code == 405
    assert "POST" in wrong_method.headers["Allow"]


def test_too_large_request_gets_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 100
    response = client.post("/login", data={"email": "x" * 500, "password": "y"})
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)


def test_sixth_quick_failed_login_gets_429(client, session):
    make_user(session, email="ada@example.org")
    for _ in range(5):
        response = client.post("/login", data={"email": "ada@example.org", "password": "wrong!"})
        assert response.status_code == 422
    blocked = client.post("/login", data={"email": "ada@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    assert "Retry-After" in blocked.headers
    assert_security_headers(blocked)


def test_failed_logins_are_limited_per_account_across_addresses(client, session):
    make_user(session, email="ada@example.org")
    for number in range(5):
        client.post(
            "/login",
            data={"email": "ADA@example.org", "password": "wrong!"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{number}"},
        )
    blocked = client.post(
        "/login",
        data={"email": "ada@example.org", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.99"},
    )
    assert blocked.status_code == 429


def test_successful_logins_do_not_use_up_the_allowance(client, session):
    make_user(session, email="ada@example.org")
    for _ in range(7):
        response = client.post("/login", data={"email": "ada@example.org", "password": PASSWORD})
        assert response.status_code == 302
        client.post("/logout")


def test_signup_is_rate_limited_per_address(app, client):
    app.config["SIGNUP_LIMIT"] = "2 per hour"
    statuses = [client.post("/signup", data={"email": "bad"}).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/settings", True),
        ("/p/abc?x=1", True),
        ("https://evil.example", False),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("", False),
        (None, False),
        ("/\nevil", False),
    ],
)
def test_is_safe_next(target, safe):
    assert is_safe_next(target) is safe


def test_nul_characters_get_a_clear_400_and_change_nothing(client, session):
    from sqlalchemy import func, select

    from kindness.models import User

    response = client.post(
        "/signup",
        data={"email": "nul@example.org", "password": PASSWORD, "display_name": "A\x00B"},
    )
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
    assert client.get("/acts?category=\x00").status_code == 400
    assert client.get("/chains/%00").status_code == 400
    assert client.get("/p/%00abc").status_code == 400
    assert session.scalar(select(func.count(User.id))) == 0
