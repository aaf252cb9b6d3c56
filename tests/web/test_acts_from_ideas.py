"""Logging an act from an idea ("Log this" on the dashboard or in the daily mail):
the form carries the idea's number, the act keeps it, bad numbers change nothing."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from kindness.domain import acts, ideas
from kindness.domain.acts import ActInput
from kindness.domain.errors import InvalidInput
from kindness.models import Act
from tests.clock import TODAY
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("clock")

IDEA = 7


@pytest.fixture
def ada(session):
    return make_user(session, email="ada@example.org", display_name="Ada")


def hidden_idea(page: str) -> str | None:
    found = re.search(r'<input id="idea" name="idea" type="hidden" value="([^"]*)">', page)
    return found.group(1) if found else None


def acts_of(session, user) -> list[Act]:
    session.expire_all()
    return list(session.scalars(select(Act).where(Act.author_id == user.id)))


def test_the_form_carries_the_idea_and_the_act_keeps_it(client, session, ada, log_in):
    log_in(ada, client)
    page = client.get(f"/acts/new?idea={IDEA}").get_data(as_text=True)
    assert hidden_idea(page) == str(IDEA)
    text = ideas.by_number(IDEA).text_en
    response = client.post("/acts/new", data={"what": text, "idea": str(IDEA)})
    assert response.status_code == 302
    (act,) = acts_of(session, ada)
    assert act.idea_number == IDEA
    assert ideas.logged_from(session, ada.id) == {IDEA}


def test_an_act_without_an_idea_has_no_number(client, session, ada, log_in):
    log_in(ada, client)
    assert hidden_idea(client.get("/acts/new").get_data(as_text=True)) == ""
    client.post("/acts/new", data={"what": "Shared my umbrella", "next": "/"})
    assert [act.idea_number for act in acts_of(session, ada)] == [None]
    assert ideas.logged_from(session, ada.id) == set()


def test_an_unknown_idea_in_the_link_just_gives_the_plain_form(client, ada, log_in):
    log_in(ada, client)
    for value in ("99999", "-1", "abc", "9" * 5000):
        page = client.get(f"/acts/new?idea={value}").get_data(as_text=True)
        assert hidden_idea(page) == "", value


@pytest.mark.parametrize("value", ["99999", "-1", "abc", "²", "1.5", "0" * 40])
def test_a_forged_idea_number_changes_nothing_and_can_be_dropped(
    client, session, ada, log_in, value
):
    log_in(ada, client)
    response = client.post("/acts/new", data={"what": "Shared my umbrella", "idea": value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "We do not know that idea." in page
    assert acts_of(session, ada) == []
    # The form comes back without the bad value: sending it again logs the act.
    assert hidden_idea(page) == ""
    again = client.post("/acts/new", data={"what": "Shared my umbrella", "idea": ""})
    assert again.status_code == 302
    assert [act.idea_number for act in acts_of(session, ada)] == [None]


def test_the_domain_refuses_an_unknown_idea(session, ada):
    with pytest.raises(InvalidInput) as refused:
        acts.log(
            session, ada, ActInput(what="A kind word"), TODAY, idea_number=len(ideas.load_ideas())
        )
    assert refused.value.field == "idea_number"
    assert session.scalar(select(func.count(Act.id))) == 0


def test_editing_an_act_keeps_its_idea(client, session, ada, log_in):
    log_in(ada, client)
    client.post("/acts/new", data={"what": "Called my aunt", "idea": "0"})
    (act,) = acts_of(session, ada)
    edit = client.get(f"/acts/{act.id}/edit").get_data(as_text=True)
    assert hidden_idea(edit) == ""
    client.post(f"/acts/{act.id}/edit", data={"what": "Called my aunt for an hour", "idea": "3"})
    (act,) = acts_of(session, ada)
    assert (act.what, act.idea_number) == ("Called my aunt for an hour", 0)


def test_the_mailed_link_leads_a_logged_out_person_through_log_in_to_the_filled_form(client, ada):
    link = f"/acts/new?idea={IDEA}"
    to_login = client.get(link)
    assert to_login.status_code == 302
    login_url = urlsplit(to_login.headers["Location"])
    assert login_url.path == "/login"
    (next_path,) = parse_qs(login_url.query)["next"]
    assert next_path == link
    login_page = client.get(to_login.headers["Location"]).get_data(as_text=True)
    assert f'value="/acts/new?idea={IDEA}"' in login_page
    logged_in = client.post(
        "/login", data={"email": ada.email, "password": PASSWORD, "next": next_path}
    )
    assert logged_in.headers["Location"] == link
    form = client.get(link).get_data(as_text=True)
    assert hidden_idea(form) == str(IDEA)
    assert ideas.by_number(IDEA).text_en.replace("'", "&#39;") in form


def test_the_dashboard_idea_links_to_the_form_with_its_number(client, session, ada, log_in):
    log_in(ada, client)
    page = client.get("/?idea=1").get_data(as_text=True)
    number = int(re.search(r'href="/acts/new\?idea=(\d+)"', page).group(1))
    form = client.get(f"/acts/new?idea={number}").get_data(as_text=True)
    assert hidden_idea(form) == str(number)
