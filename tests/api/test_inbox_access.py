"""Access to /api/v1/inbox: another person's notice answers 404 and stays unread;
a read token's write answers 403 and marks nothing."""

import pytest
from sqlalchemy import select

from kindness.models import Notification
from tests.clock import TODAY
from tests.factories import claim, make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")

ONE = "/api/v1/inbox/{notification_id}/read"


@pytest.fixture
def people(session):
    """Ada, with a notice (Ben claimed her act); Ben, with none."""
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    claim(session, make_act(session, ada, TODAY, what="Ada's private act"), ben)
    notice = session.scalar(select(Notification).where(Notification.user_id == ada.id))
    return ada, ben, notice


def read_ats(session) -> list:
    session.expire_all()
    return list(session.scalars(select(Notification.read_at).order_by(Notification.id)))


def test_another_persons_notice_is_404_and_stays_unread(api_as, session, people):
    _ada, ben, notice = people
    response = api_as(ben).post(ONE.format(notification_id=notice.id))
    assert response.status_code == 404
    assert "Ada's private act" not in response.get_data(as_text=True)
    assert read_ats(session) == [None]


def test_marking_all_read_marks_only_ones_own(api_as, session, people):
    _ada, ben, _notice = people
    assert api_as(ben).post("/api/v1/inbox/read").get_json() == {"marked": 0}
    assert read_ats(session) == [None]


def test_the_inbox_lists_only_ones_own(api_as, people):
    ada, ben, notice = people
    assert api_as(ben, scope="read").get("/api/v1/inbox").get_json()["items"] == []
    (item,) = api_as(ada, scope="read").get("/api/v1/inbox").get_json()["items"]
    assert item["id"] == notice.id


@pytest.mark.parametrize("template", ["/api/v1/inbox/{notification_id}/read", "/api/v1/inbox/read"])
def test_a_read_token_may_not_mark_read(api_as, session, people, template):
    ada, _ben, notice = people
    response = api_as(ada, scope="read").post(template.format(notification_id=notice.id))
    assert response.status_code == 403
    assert read_ats(session) == [None]
