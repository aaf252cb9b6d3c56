"""The signed-cookie session with its serializer made once (kindness/web/cookie_session.py)."""

from kindness.web.cookie_session import CookieSessions


def test_one_serializer_serves_every_request_until_the_key_changes(app, client):
    assert isinstance(app.session_interface, CookieSessions)
    client.post("/language", data={"locale": "de"})
    first = app.session_interface.get_signing_serializer(app)
    assert '<html lang="de">' in client.get("/").get_data(as_text=True)
    assert app.session_interface.get_signing_serializer(app) is first
    app.secret_key = "another-secret-key"
    assert app.session_interface.get_signing_serializer(app) is not first
    # The cookie signed with the old key is no longer believed: the browser's language again.
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_an_old_key_among_the_fallbacks_still_opens_the_session(app, client):
    client.post("/language", data={"locale": "de"})
    old = app.secret_key
    app.secret_key = "the-new-secret-key"
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    assert '<html lang="de">' in client.get("/").get_data(as_text=True)
