"""The moderators' page: undoing a hide or a suspension with a button, a log in
names and words (translated), the suspension message, and sessions that end."""

import re

import pytest
from sqlalchemy import select

from kindness.config import email_address
from kindness.domain import moderation, thanks
from kindness.models import Act, ModerationAction, Report, Thanks, User
from tests.clock import TODAY
from tests.factories import PASSWORD, claim, make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")

HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def make_moderator(session, **details) -> User:
    moderator = make_user(session, display_name="Mona Moderator", **details)
    moderator.is_admin = True
    session.commit()
    return moderator


SITE_FORMS = ("/logout", "/language", "/confirm/send", "/confirm/later")


def post_forms(page: str) -> list[str]:
    """The actions of the page's own POST forms (its buttons; not the header's
    log-out, the footer's language switch or the banner asking to confirm the address)."""
    actions = re.findall(r'<form method="post" action="([^"]+)"', page)
    return [action for action in actions if action not in SITE_FORMS]


def steps(session) -> list[tuple[str, int | None, int | None]]:
    session.expire_all()
    query = select(ModerationAction).order_by(ModerationAction.id)
    return [(step.action, step.act_id, step.user_id) for step in session.scalars(query)]


def test_a_hidden_act_is_shown_again_with_its_button(app, session, log_in):
    ada, mod = make_user(session, display_name="Ada"), make_moderator(session)
    act = make_act(session, ada, TODAY, what="Gave away my lunch", visibility="public")
    moderation.hide(session, mod, act.id)
    session.commit()
    admin = log_in(mod)

    page = admin.get("/admin/reports").get_data(as_text=True)
    assert "Gave away my lunch" in page
    assert f"/admin/acts/{act.id}/restore" in post_forms(page)
    response = admin.post(f"/admin/acts/{act.id}/restore")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/reports"
    session.expire_all()
    assert session.get(Act, act.id).hidden_at is None
    assert steps(session)[-1] == ("restore", act.id, None)
    assert "Gave away my lunch" in app.test_client().get(f"/chains/{act.ref}").get_data(
        as_text=True
    )
    after = admin.get("/admin/reports").get_data(as_text=True)
    assert "The act is shown again." in after
    assert f"/admin/acts/{act.id}/restore" not in post_forms(after)  # no longer hidden


def test_a_suspension_is_lifted_after_a_confirmation(app, session, log_in):
    ada, mod = make_user(session, display_name="Ada Lovelace"), make_moderator(session)
    act = make_act(session, ada, TODAY, what="Walked the neighbour's dog", visibility="public")
    moderation.suspend(session, mod, ada.id)
    session.commit()
    admin = log_in(mod)

    page = admin.get("/admin/reports").get_data(as_text=True)
    assert "Suspended people" in page and "Ada Lovelace" in page
    # A suspended person's acts come back with the lift, not one by one.
    assert f"/admin/acts/{act.id}/restore" not in post_forms(page)
    assert f'href="/admin/users/{ada.id}/unsuspend"' in page
    confirm = admin.get(f"/admin/users/{ada.id}/unsuspend")
    assert confirm.status_code == 200
    text = confirm.get_data(as_text=True)
    assert "Lift the suspension?" in text and "Ada Lovelace" in text
    assert post_forms(text) == [f"/admin/users/{ada.id}/unsuspend"]
    session.expire_all()
    assert session.get(User, ada.id).suspended_at is not None  # asking changed nothing

    response = admin.post(f"/admin/users/{ada.id}/unsuspend")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(User, ada.id).suspended_at is None
    assert session.get(Act, act.id).hidden_at is None
    assert steps(session)[-1] == ("unsuspend", None, ada.id)
    after = admin.get("/admin/reports").get_data(as_text=True)
    assert "The suspension is lifted." in after and "No one is suspended." in after
    welcome = app.test_client().post("/login", data={"email": ada.email, "password": PASSWORD})
    assert welcome.status_code == 302


def test_suspending_from_a_report_asks_first(session, log_in):
    ada, ben, mod = make_user(session), make_user(session), make_moderator(session)
    act = make_act(session, ada, TODAY, what="Reported act", visibility="public")
    moderation.report(session, ben, act.ref, "spam", None)
    session.commit()
    admin = log_in(mod)
    page = admin.get("/admin/reports").get_data(as_text=True)
    assert f'href="/admin/users/{ada.id}/suspend"' in page
    confirm = admin.get(f"/admin/users/{ada.id}/suspend").get_data(as_text=True)
    assert "Suspend this person?" in confirm
    assert post_forms(confirm) == [f"/admin/users/{ada.id}/suspend"]
    session.expire_all()
    assert session.get(User, ada.id).suspended_at is None
    assert admin.post(f"/admin/users/{ada.id}/suspend").status_code == 302
    session.expire_all()
    assert session.get(User, ada.id).suspended_at is not None


def test_a_second_click_is_told_plainly_and_changes_nothing(session, log_in):
    ada, mod = make_user(session), make_moderator(session)
    admin = log_in(mod)
    lifted = admin.post(f"/admin/users/{ada.id}/unsuspend", follow_redirects=True)
    assert lifted.status_code == 200
    assert "This person is not suspended." in lifted.get_data(as_text=True)
    asked = admin.get(f"/admin/users/{ada.id}/unsuspend", follow_redirects=True)
    assert "This person is not suspended." in asked.get_data(as_text=True)
    admin.post(f"/admin/users/{ada.id}/suspend")
    session.expire_all()
    first = session.get(User, ada.id).suspended_at
    again = admin.post(f"/admin/users/{ada.id}/suspend", follow_redirects=True)
    assert "This person is suspended already." in again.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, ada.id).suspended_at == first
    assert [action for action, _, _ in steps(session)] == ["suspend"]
    for path in ("/admin/users/999999/unsuspend", "/admin/users/999999/suspend"):
        assert admin.get(path).status_code == 404
        assert admin.post(path).status_code == 404


def test_an_act_of_a_suspended_person_is_not_restored_alone(session, log_in):
    ada, mod = make_user(session), make_moderator(session)
    act = make_act(session, ada, TODAY, visibility="public")
    moderation.suspend(session, mod, ada.id)
    session.commit()
    refused = log_in(mod).post(f"/admin/acts/{act.id}/restore", follow_redirects=True)
    assert "lift the suspension" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Act, act.id).hidden_at is not None
    assert [action for action, _, _ in steps(session)] == ["suspend"]


def test_the_log_names_people_and_quotes_acts_escaped(session, log_in):
    ada = make_user(session, display_name='Ada <img src=x onerror="alert(1)">')
    mod = make_moderator(session)
    act = make_act(session, ada, TODAY, what=HOSTILE + " " + "long " * 40, visibility="public")
    kept_private = make_act(session, ada, TODAY, what="Later made private", visibility="public")
    moderation.hide(session, mod, act.id)
    moderation.hide(session, mod, kept_private.id)
    kept_private.visibility = "private"
    moderation.suspend(session, mod, ada.id)
    session.commit()

    page = log_in(mod).get("/admin/reports").get_data(as_text=True)
    log = page[page.index("What the moderators did") :]
    assert "Mona Moderator hid an act" in log
    assert "Mona Moderator suspended a person" in log
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in log
    assert "<script>" not in page and "<b>bold" not in page and "<img src=x" not in page
    assert "Ada &lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in log
    assert "long " * 40 not in log and "…" in log  # shortened
    assert "Later made private" not in page
    assert "an act that is no longer public" in log
    assert not re.search(r"(person|act) \d+", log)


def test_the_german_page_translates_reasons_and_steps(session, log_in):
    ada, ben, cleo = make_user(session), make_user(session), make_user(session)
    mod = make_moderator(session, locale="de")
    reported = make_act(session, ada, TODAY, what="Reported", visibility="public")
    hidden = make_act(session, cleo, TODAY, what="Hidden", visibility="public")
    moderation.report(session, ben, reported.ref, "spam", None)
    moderation.hide(session, mod, hidden.id)
    moderation.restore(session, mod, hidden.id)
    moderation.hide(session, mod, hidden.id)
    moderation.suspend(session, mod, ben.id)
    moderation.unsuspend(session, mod, ben.id)
    session.commit()

    page = log_in(mod).get("/admin/reports", headers={"Accept-Language": "de"})
    text = page.get_data(as_text=True)
    assert 'lang="de"' in text
    assert "Sie ist Spam oder Werbung" in text
    for words in (
        "hat eine Tat ausgeblendet",
        "hat eine Tat wieder sichtbar gemacht",
        "hat eine Person gesperrt",
        "hat eine Sperre aufgehoben",
        "Ausgeblendete Taten",
        "Wieder zeigen",
    ):
        assert words in text, words
    for code in ("spam", "hide", "restore", "suspend", "unsuspend"):
        assert not re.search(rf"[\s·>]{code}[\s<]", text), code


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ("moderators@example.org", "write to them at moderators@example.org"),
        # Unset, the sender's address of the site's mail: there is always one to write to.
        (None, "write to them at hello@kindness.example"),
    ],
)
def test_the_suspension_message_says_how_to_reach_the_moderators(app, session, contact, expected):
    app.config["MODERATION_CONTACT"] = contact
    app.config["MAIL_FROM"] = "Kindness <hello@kindness.example>"
    ada, mod = make_user(session), make_moderator(session)
    moderation.suspend(session, mod, ada.id)
    session.commit()
    client = app.test_client()
    refused = client.post("/login", data={"email": ada.email, "password": PASSWORD})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "This account is suspended by the moderators." in text and expected in text
    wrong = client.post("/login", data={"email": ada.email, "password": "not the password"})
    assert "suspended" not in wrong.get_data(as_text=True)  # only the password learns it


def test_the_suspension_message_in_german(app, session):
    app.config["MODERATION_CONTACT"] = "moderation@example.org"
    ada, mod = make_user(session, locale="de"), make_moderator(session)
    moderation.suspend(session, mod, ada.id)
    session.commit()
    refused = app.test_client().post(
        "/login",
        data={"email": ada.email, "password": PASSWORD},
        headers={"Accept-Language": "de"},
    )
    text = refused.get_data(as_text=True)
    assert "Dieses Konto wurde vom Moderationsteam gesperrt." in text
    assert "moderation@example.org" in text


def test_suspending_and_lifting_rotate_the_session_token(session, log_in):
    ada, mod = make_user(session), make_moderator(session)
    before = log_in(ada)
    assert before.get("/settings").status_code == 200
    tokens = [ada.session_token]
    admin = log_in(mod)
    admin.post(f"/admin/users/{ada.id}/suspend")
    session.expire_all()
    tokens.append(session.get(User, ada.id).session_token)
    admin.post(f"/admin/users/{ada.id}/unsuspend")
    session.expire_all()
    tokens.append(session.get(User, ada.id).session_token)
    assert len(set(tokens)) == 3
    # The cookie from before the suspension does not work again after the lift.
    response = before.get("/settings")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert log_in(session.get(User, ada.id)).get("/settings").status_code == 200


def test_every_admin_route_is_404_for_others_and_changes_nothing(app, session, log_in):
    ada, ben = make_user(session), make_user(session)
    mod = make_moderator(session)
    act = make_act(session, ada, TODAY, visibility="public")
    cleo = make_user(session)
    claim(session, act, cleo)
    note = thanks.write(session, cleo, act.ref, "Thank you")
    moderation.report_thanks(session, ada, note.id, "spam", None)
    moderation.suspend(session, mod, ben.id)
    session.commit()
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")]
    assert len(rules) >= 9
    client = log_in(ada)
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            path = rule.rule.replace("<id:act_id>", str(act.id))
            path = path.replace("<id:user_id>", str(ben.id if "unsuspend" in path else ada.id))
            path = path.replace("<id:thanks_id>", str(note.id))
            assert "<" not in path, path
            response = client.open(path, method=method)
            assert response.status_code == 404, (method, path)
            anonymous = app.test_client().open(path, method=method)
            assert anonymous.status_code in (302, 404), (method, path)
    session.expire_all()
    assert session.get(Act, act.id).hidden_at is None
    assert session.get(User, ada.id).suspended_at is None
    assert session.get(User, ben.id).suspended_at is not None
    assert session.get(Thanks, note.id) is not None
    assert session.scalars(select(Report)).one().resolved_at is None
    assert [action for action, _, _ in steps(session)] == ["suspend"]


def test_the_page_runs_the_same_queries_for_few_and_many(session, log_in, count_queries):
    mod = make_moderator(session)
    admin = log_in(mod)

    def world(size: int) -> None:
        for _ in range(size):
            person = make_user(session)
            make_act(session, person, TODAY, visibility="public")
            moderation.suspend(session, mod, person.id)
            hidden = make_act(session, make_user(session), TODAY, visibility="public")
            moderation.hide(session, mod, hidden.id)
            reported = make_act(session, make_user(session), TODAY, visibility="public")
            moderation.report(session, mod, reported.ref, "spam", None)
            giver, writer = make_user(session), make_user(session)
            thanked = claim(session, make_act(session, giver, TODAY), writer)
            note = thanks.write(session, writer, thanked.ref, "Thank you")
            moderation.report_thanks(session, giver, note.id, "spam", None)
        session.commit()

    world(1)
    with count_queries() as few:
        assert admin.get("/admin/reports").status_code == 200
    world(5)
    with count_queries() as many:
        assert admin.get("/admin/reports").status_code == 200
    assert many.count == few.count


def test_the_contact_setting_must_be_an_address():
    assert email_address(None) is None
    assert email_address("  ") is None
    assert email_address(" moderators@example.org ") == "moderators@example.org"
    for bad in ("moderators", "@example.org", "mods@localhost", "a b@example.org", 42):
        with pytest.raises(ValueError, match="MODERATION_CONTACT"):
            email_address(bad)


def test_the_hidden_list_shows_no_text_its_author_made_private_since(session, log_in):
    mod = make_user(session, display_name="Mona Moderator")
    mod.is_admin = True
    ada = make_user(session, display_name="Ada")
    shown = make_act(session, ada, TODAY, what="Still public text", visibility="public")
    later_private = make_act(session, ada, TODAY, what="Later made private", visibility="public")
    moderation.hide(session, mod, shown.id)
    moderation.hide(session, mod, later_private.id)
    later_private.visibility = "private"
    session.commit()
    page = log_in(mod).get("/admin/reports").get_data(as_text=True)
    hidden = page[page.index("Hidden acts") : page.index("What the moderators did")]
    assert "Still public text" in hidden
    assert "Later made private" not in page
    assert hidden.count("an act that is no longer public") == 1
    assert hidden.count("Show it again") == 2
