"""The whole loop through the pages: card, claim, received, pay it forward, inbox."""

import re

import pytest
from sqlalchemy import select

from kindness.models import Act, Notification, Pass
from tests.clock import TODAY
from tests.factories import PASSWORD, claim, make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")


def card_code(client, act) -> str:
    client.post(f"/acts/{act.id}/pass", data={"show_text": "y"})
    page = client.get(f"/acts/{act.id}/card").get_data(as_text=True)
    return re.search(r"/p/([A-Za-z0-9_-]+)", page).group(1)


def test_card_shows_link_qr_and_optional_text(session, log_in):
    ada = make_user(session, display_name="Ada")
    act = make_act(session, ada, TODAY, what="Shovelled the snow")
    client = log_in(ada)
    client.post(f"/acts/{act.id}/pass")
    page = client.get(f"/acts/{act.id}/card").get_data(as_text=True)
    assert "<svg" in page and 'class="segno"' in page
    assert "Shovelled the snow" not in page
    assert "no obligation" in page
    client.post(f"/acts/{act.id}/pass", data={"show_text": "y"})
    assert "Shovelled the snow" in client.get(f"/acts/{act.id}/card").get_data(as_text=True)
    link = session.scalars(select(Pass)).one()
    assert len(link.code) >= 16  # 128 bits, url-safe


def test_the_whole_loop(app, session, log_in):
    ada = make_user(session, display_name="Ada")
    act = make_act(session, ada, TODAY, what="Shovelled the snow")
    author = log_in(ada)
    code = card_code(author, act)

    visitor = app.test_client()
    landing = visitor.get(f"/p/{code}").get_data(as_text=True)
    assert "Something kind came your way" in landing and "Shovelled the snow" in landing
    # Sign up on the way and land back on the claim.
    response = visitor.post(
        "/signup",
        data={
            "email": "ben@example.org",
            "password": PASSWORD,
            "display_name": "Ben",
            "time_zone": "Europe/Berlin",
            "locale": "en",
            "next": f"/p/{code}",
        },
    )
    assert response.headers["Location"] == f"/p/{code}"
    claimed = visitor.post(f"/p/{code}", data={"named": "y"})
    assert claimed.status_code == 302
    session.expire_all()
    act = session.get(Act, act.id)
    assert act.recipient_id is not None and act.recipient_named

    received = visitor.get("/acts/received").get_data(as_text=True)
    assert "Shovelled the snow" in received and "Pay it forward" in received
    form = visitor.get(f"/acts/new?parent={act.ref}").get_data(as_text=True)
    assert "Pay it forward" in form and f'value="{act.ref}"' in form
    forwarded = visitor.post(
        "/acts/new", data={"what": "Helped a stranger with a flat tyre", "parent_ref": act.ref}
    )
    assert forwarded.status_code == 302
    forward = session.scalar(select(Act).where(Act.parent_id == act.id))
    assert forward.depth == 1 and forward.root_id == act.id

    nav = author.get("/").get_data(as_text=True)
    assert re.search(r'class="badge"[^>]*>2<', nav)
    inbox = author.get("/inbox").get_data(as_text=True)
    assert "Ben claimed your card" in inbox  # Ben chose to be named
    assert "Your kindness travelled" in inbox
    # The inbox gives the chain's own figures, as the chain page does.
    assert inbox.count("The chain: 3 people, 2 generations") == 2
    # Reading does not change anything; marking read is a POST of the shown notices.
    assert re.search(r'class="badge"[^>]*>2<', author.get("/").get_data(as_text=True))
    shown = re.findall(r'name="id" value="(\d+)"', inbox)
    assert len(shown) == 2
    author.post("/inbox/read", data={"id": shown})
    assert 'class="badge"' not in author.get("/").get_data(as_text=True)
    chain = author.get(f"/chains/{act.ref}").get_data(as_text=True)
    assert "Shovelled the snow" in chain
    assert session.scalar(select(Notification.kind).where(Notification.kind == "claimed"))


def test_used_revoked_and_unknown_codes(session, log_in):
    ada, ben, cy = (make_user(session) for _ in range(3))
    act = make_act(session, ada, TODAY)
    author = log_in(ada)
    code = card_code(author, act)
    assert log_in(ben).post(f"/p/{code}").status_code == 302
    late = log_in(cy)
    used = late.get(f"/p/{code}")
    assert used.status_code == 200
    assert "This card has already been claimed." in used.get_data(as_text=True)
    again = late.post(f"/p/{code}")
    assert again.status_code == 409
    assert "already been claimed" in again.get_data(as_text=True)
    other = make_act(session, ada, TODAY)
    revoked_code = card_code(author, other)
    author.post(f"/acts/{other.id}/pass/revoke")
    withdrawn = late.get(f"/p/{revoked_code}")
    assert withdrawn.status_code == 410
    assert "Its giver withdrew this card." in withdrawn.get_data(as_text=True)
    assert late.post(f"/p/{revoked_code}").status_code == 410
    for bad in ("nope", "A" * 22, "bad%20code%20here!!", "a" * 200):
        assert late.get(f"/p/{bad}").status_code == 404
        assert late.post(f"/p/{bad}").status_code == 404
    session.expire_all()
    assert session.get(Act, other.id).recipient_id is None
    assert session.get(Act, act.id).recipient_id == ben.id


def test_claiming_your_own_card_is_refused(session, log_in):
    ada = make_user(session)
    act = make_act(session, ada, TODAY)
    author = log_in(ada)
    code = card_code(author, act)
    assert "This is your own card" in author.get(f"/p/{code}").get_data(as_text=True)
    response = author.post(f"/p/{code}", follow_redirects=True)
    assert "your own act" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Act, act.id).recipient_id is None


def test_anonymous_claim_goes_through_sign_up_or_log_in_first(app, session, log_in):
    ada = make_user(session)
    act = make_act(session, ada, TODAY)
    code = card_code(log_in(ada), act)
    visitor = app.test_client()
    response = visitor.post(f"/p/{code}")
    assert response.headers["Location"] == f"/signup?next=/p/{code}"
    response = visitor.post(f"/p/{code}", data={"then": "login"})
    assert response.headers["Location"] == f"/login?next=/p/{code}"
    assert visitor.post("/p/unknownunknownunknown").status_code == 404
    session.expire_all()
    assert session.get(Act, act.id).recipient_id is None


def test_claim_attempts_are_rate_limited(app, session):
    app.config["CLAIM_LIMIT"] = "3 per minute"
    client = app.test_client()
    statuses = [client.get(f"/p/guess{n:020d}").status_code for n in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_paying_forward_what_you_did_not_receive_is_404_or_refused(session, log_in):
    ada, ben = make_user(session), make_user(session)
    act = make_act(session, ada, TODAY)
    client = log_in(ben)
    assert client.get(f"/acts/new?parent={act.ref}").status_code == 404
    response = client.post("/acts/new", data={"what": "Sneaky forward", "parent_ref": act.ref})
    assert "only pass on kindness you received" in response.get_data(as_text=True)
    assert session.scalar(select(Act).where(Act.parent_id == act.id)) is None


def test_pass_routes_of_others_are_404(session, log_in):
    ada, ben = make_user(session), make_user(session)
    act = make_act(session, ada, TODAY)
    log_in(ada).post(f"/acts/{act.id}/pass")
    stranger = log_in(ben)
    assert stranger.get(f"/acts/{act.id}/card").status_code == 404
    assert stranger.post(f"/acts/{act.id}/pass").status_code == 404
    assert stranger.post(f"/acts/{act.id}/pass/revoke").status_code == 404
    assert session.scalars(select(Pass)).one().revoked_at is None


def test_marking_read_ignores_other_peoples_notices(session, log_in):
    ada, ben, cy = (make_user(session) for _ in range(3))
    act = make_act(session, ada, TODAY)
    code = card_code(log_in(ada), act)
    log_in(ben).post(f"/p/{code}")
    notice = session.scalars(select(Notification)).one()
    log_in(cy).post("/inbox/read", data={"id": [str(notice.id), "x", "9" * 30]})
    session.expire_all()
    assert session.get(Notification, notice.id).read_at is None


def test_a_second_open_link_cannot_steal_a_claimed_act(app, session):
    from kindness.domain import passes
    from kindness.domain.errors import RuleViolation
    from kindness.models import Pass as PassModel

    ada, ben, cy = (make_user(session) for _ in range(3))
    act = make_act(session, ada, TODAY)
    first = passes.create(session, act, show_text=False)
    # As if two requests had made two links at once.
    session.add(PassModel(act_id=act.id, code=passes.new_code(), show_text=False))
    session.commit()
    second = session.scalars(select(PassModel).where(PassModel.id != first.id)).one()
    passes.claim(session, first.code, ben, named=False)
    session.commit()
    with pytest.raises(RuleViolation):
        passes.claim(session, second.code, cy, named=False)
    session.rollback()
    session.expire_all()
    assert session.get(Act, act.id).recipient_id == ben.id


def test_inbox_issues_the_same_queries_for_2_and_40_notices(session, log_in, count_queries):
    ada, ben = make_user(session), make_user(session)
    client = log_in(ada)

    def claimed_cards(count):
        for _ in range(count):
            claim(session, make_act(session, ada, TODAY), ben)

    claimed_cards(2)
    with count_queries() as few:
        assert client.get("/inbox").status_code == 200
    claimed_cards(38)
    with count_queries() as many:
        page = client.get("/inbox").get_data(as_text=True)
    assert few.count == many.count
    assert page.count("Your card was claimed") == 40


@pytest.mark.parametrize("value", ["²", "٣", "2147483648", "9" * 11, "0", "-1"])
def test_an_id_that_is_no_id_marks_nothing_and_is_no_500(session, log_in, value):
    ada, ben = make_user(session), make_user(session)
    claim(session, make_act(session, ada, TODAY), ben)
    response = log_in(ada).post("/inbox/read", data={"id": value})
    assert response.status_code == 302
    session.expire_all()
    assert session.scalars(select(Notification.read_at)).all() == [None]


def test_more_ids_than_the_inbox_shows_are_refused(session, log_in):
    ada, ben = make_user(session), make_user(session)
    claim(session, make_act(session, ada, TODAY), ben)
    notice = session.scalars(select(Notification)).one()
    response = log_in(ada).post("/inbox/read", data={"id": [str(notice.id)] * 51})
    assert response.status_code == 400
    assert "Too many notices at once." in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Notification, notice.id).read_at is None
