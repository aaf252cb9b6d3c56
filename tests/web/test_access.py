"""No one reaches another user's contacts, acts or weeks by guessing an id."""

from datetime import date

import pytest
from sqlalchemy import select

from kindness.models import Act, Challenge, Contact
from tests.clock import TODAY
from tests.factories import make_act, make_challenge, make_contact, make_user

OBJECT_AREAS = ("acts", "contacts", "challenges")
POST_DATA = {
    "acts": {"what": "Hijacked text", "category": "gift"},
    "contacts": {"name": "Hijacked name"},
    "challenges": {"reflection": "Hijacked reflection"},
}


def object_routes(app):
    """Every (rule, method) that takes an object id, found in the URL map."""
    routes = []
    for rule in app.url_map.iter_rules():
        area = rule.endpoint.split(".")[0]
        if area in OBJECT_AREAS and rule.arguments:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                routes.append((area, rule.rule, method))
    return routes


@pytest.fixture
def world(session, clock, log_in):
    owner = make_user(session, email="owner@example.org")
    contact = make_contact(session, owner, "Owner's friend", note="private note")
    act = make_act(session, owner, TODAY, what="Owner's act", contact=contact, note="n")
    challenge = make_challenge(session, owner, date(2026, 11, 10))
    client = log_in(make_user(session, email="stranger@example.org"))
    return {"acts": act.id, "contacts": contact.id, "challenges": challenge.id, "client": client}


def snapshot(session):
    session.expire_all()
    return (
        [(a.id, a.what, a.category, a.contact_id) for a in session.scalars(select(Act))],
        [(c.id, c.name, c.note) for c in session.scalars(select(Contact))],
        [(c.id, c.reflection, c.abandoned_at) for c in session.scalars(select(Challenge))],
    )


def test_every_object_route_answers_404_to_another_user(app, session, world):
    routes = object_routes(app)
    assert len(routes) >= 12
    before = snapshot(session)
    client = world["client"]
    for area, rule, method in routes:
        path = rule.replace(rule[rule.index("<") : rule.index(">") + 1], str(world[area]))
        response = client.open(path, method=method, data=POST_DATA[area])
        assert response.status_code == 404, (method, path)
        assert "Owner's" not in response.get_data(as_text=True)
    assert snapshot(session) == before


def test_unknown_and_absurd_ids_are_404(app, session, world):
    client = world["client"]
    for path in (
        "/acts/999999",
        "/acts/99999999999999999999",
        "/acts/0",
        "/acts/-1",
        "/acts/abc",
        "/contacts/2147483648",
        "/challenges/1.5",
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path + "/delete").status_code in (404, 405), path


def test_anonymous_visitors_are_sent_to_log_in(app, world):
    anonymous = app.test_client()
    for path in ("/acts", "/acts/new", "/contacts", "/challenges", f"/acts/{world['acts']}"):
        response = anonymous.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
