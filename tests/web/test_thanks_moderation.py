"""Moderating a reported thank-you note on /admin/reports: the note shown (its
text, writer and giver, escaped), removed or kept, never its act hidden instead;
through the pages, on both databases."""

import re

import pytest
from sqlalchemy import select

from kindness.domain import moderation, thanks
from kindness.models import Act, ModerationAction, Report, Thanks, User
from tests.clock import TODAY
from tests.factories import claim, make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")

NOTE = 'Thanks <script>alert("x")</script> & <b>bold</b>'
NOTE_ESCAPED = (
    "Thanks &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
)
WRITER = 'Ben <img src=x onerror="alert(1)">'
WRITER_ESCAPED = "Ben &lt;img src=x onerror=&#34;alert(1)&#34;&gt;"


def text_of(response) -> str:
    return response.get_data(as_text=True)


SITE_FORMS = ("/logout", "/language", "/confirm/send", "/confirm/later")


def post_forms(page: str) -> list[str]:
    """The page's own POST forms (not the header's log-out, the footer's language,
    the banner asking to confirm the address)."""
    actions = re.findall(r'<form method="post" action="([^"]+)"', page)
    return [action for action in actions if action not in SITE_FORMS]


def steps(session) -> list[tuple[str, int | None, int | None]]:
    session.expire_all()
    query = select(ModerationAction).order_by(ModerationAction.id)
    return [(step.action, step.act_id, step.user_id) for step in session.scalars(query)]


def open_reports(session) -> list[Report]:
    session.expire_all()
    return list(session.scalars(select(Report).where(Report.resolved_at.is_(None))))


@pytest.fixture
def reported(session):
    """Ada's private act, claimed by Ben, who thanked; Ada reported the note."""
    ada = make_user(session, display_name="Ada Giver")
    ben = make_user(session, display_name=WRITER)
    mod = make_user(session, display_name="Mona Moderator")
    mod.is_admin = True
    act = make_act(session, ada, TODAY, what="Shovelled the snow privately", visibility="private")
    claim(session, act, ben)
    note = thanks.write(session, ben, act.ref, NOTE)
    moderation.report_thanks(session, ada, note.id, "hurtful", "Rude <i>words</i>")
    session.commit()
    return ada, ben, mod, act, note


def test_the_queue_shows_the_note_escaped_not_the_act(session, log_in, reported):
    _ada, ben, mod, act, note = reported
    page = text_of(log_in(mod).get("/admin/reports"))
    queue = page[: page.index("Hidden acts")]
    assert "A thank-you note" in queue
    assert NOTE_ESCAPED in queue
    assert f"from {WRITER_ESCAPED} to Ada Giver" in queue
    assert "It is hurtful or hateful" in queue
    assert "Rude &lt;i&gt;words&lt;/i&gt;" in queue
    assert "<script>" not in page and "<b>bold" not in page and "<img src=x" not in page
    assert "<i>words" not in page
    # The note is judged on its own: the (private) act is neither shown nor offered.
    assert "Shovelled the snow privately" not in page
    assert post_forms(queue) == [
        f"/admin/thanks/{note.id}/remove",
        f"/admin/thanks/{note.id}/dismiss",
    ]
    assert "Hide the act" not in queue and f"/chains/{act.ref}" not in queue
    assert f'href="/admin/users/{ben.id}/suspend"' in queue
    assert "Suspend the writer" in queue


def test_removing_the_note(session, log_in, reported):
    ada, ben, mod, act, note = reported
    note_id, act_id, ben_id = note.id, act.id, ben.id
    giver, writer = log_in(ada), log_in(ben)
    assert NOTE_ESCAPED in text_of(giver.get("/inbox"))
    assert NOTE_ESCAPED in text_of(writer.get("/acts/received"))
    admin = log_in(mod)

    response = admin.post(f"/admin/thanks/{note_id}/remove")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/reports"
    session.expire_all()
    assert session.get(Thanks, note_id) is None
    assert open_reports(session) == []
    assert steps(session) == [("remove_thanks", act_id, ben_id)]
    assert session.get(Act, act_id).hidden_at is None  # the act is not what was wrong

    page = text_of(admin.get("/admin/reports"))
    assert "The thank-you note is removed." in page and "No open reports." in page
    log = page[page.index("What the moderators did") :]
    assert f"Mona Moderator removed a thank-you note: written by {WRITER_ESCAPED}" in " ".join(
        log.split()
    )
    assert "Thanks &lt;script" not in page  # the removed text is nowhere afterwards
    assert "Thanks &lt;script" not in text_of(giver.get("/inbox"))
    assert "Thanks &lt;script" not in text_of(writer.get("/acts/received"))

    again = admin.post(f"/admin/thanks/{note_id}/remove", follow_redirects=True)
    assert again.status_code == 404
    assert len(steps(session)) == 1


def test_dismissing_keeps_the_note(session, log_in, reported):
    ada, ben, mod, act, note = reported
    admin = log_in(mod)
    response = admin.post(f"/admin/thanks/{note.id}/dismiss")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Thanks, note.id).text == NOTE
    assert open_reports(session) == []
    assert session.scalars(select(Report)).one().resolved_at is not None
    assert steps(session) == [("dismiss_thanks", act.id, ben.id)]
    page = text_of(admin.get("/admin/reports"))
    assert "The thank-you note stays." in page and "No open reports." in page
    assert "Mona Moderator kept a reported thank-you note" in " ".join(page.split())
    assert NOTE_ESCAPED in text_of(log_in(ada).get("/inbox"))
    # A second click is told plainly and records nothing.
    again = text_of(admin.post(f"/admin/thanks/{note.id}/dismiss", follow_redirects=True))
    assert "The reports of this note are settled already." in again
    assert len(steps(session)) == 1


def test_act_steps_and_note_reports_stay_apart(session, log_in, reported):
    """Hiding an act settles the reports of the act, not of a note on it; and
    dismissing a note report does not show a hidden act again."""
    ada, ben, mod, _act, _note = reported
    cleo = make_user(session, display_name="Cleo")
    public = make_act(session, ada, TODAY, what="Fixed a bike", visibility="public")
    claim(session, public, ben)
    other = thanks.write(session, ben, public.ref, "Thank you for the bike")
    moderation.report_thanks(session, ada, other.id, "spam", None)
    moderation.report(session, cleo, public.ref, "spam", None)
    session.commit()
    admin = log_in(mod)
    admin.post(f"/admin/acts/{public.id}/hide")
    assert [r.thanks_id for r in open_reports(session) if r.act_id == public.id] == [other.id]
    admin.post(f"/admin/thanks/{other.id}/dismiss")
    session.expire_all()
    assert session.get(Act, public.id).hidden_at is not None
    assert session.get(Thanks, other.id) is not None
    assert [action for action, _, _ in steps(session)] == ["hide", "dismiss_thanks"]


def test_others_get_404_and_nothing_changes(app, session, log_in, reported):
    ada, ben, mod, _act, note = reported
    for person in (ada, ben, make_user(session)):
        client = log_in(person)
        for step in ("remove", "dismiss"):
            assert client.post(f"/admin/thanks/{note.id}/{step}").status_code == 404
    for step in ("remove", "dismiss"):
        anonymous = app.test_client().post(f"/admin/thanks/{note.id}/{step}")
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
        assert log_in(mod).post(f"/admin/thanks/999999/{step}").status_code == 404
    session.expire_all()
    assert session.get(Thanks, note.id).text == NOTE
    assert [r.thanks_id for r in open_reports(session)] == [note.id]
    assert steps(session) == []
    assert session.get(User, ben.id).suspended_at is None


def test_the_german_queue(session, log_in, reported):
    _ada, _ben, mod, _act, note = reported
    mod.locale = "de"
    session.commit()
    admin = log_in(mod)
    page = text_of(admin.get("/admin/reports", headers={"Accept-Language": "de"}))
    for words in ("Ein Dankeschön", "Dankeschön entfernen", "Verfassende Person sperren"):
        assert words in page, words
    assert f"von {WRITER_ESCAPED} an Ada Giver" in page
    admin.post(f"/admin/thanks/{note.id}/remove", headers={"Accept-Language": "de"})
    after = text_of(admin.get("/admin/reports", headers={"Accept-Language": "de"}))
    assert "Das Dankeschön ist entfernt." in after
    assert "hat ein Dankeschön entfernt" in " ".join(after.split())
    assert not re.search(r"[\s·>]remove_thanks[\s<]", after)
