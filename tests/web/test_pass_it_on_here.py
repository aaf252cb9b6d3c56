"""Pass it on where you are: one step from the flash, the lists and the act page;
the author's card page in every state; one act for several people and their sheet."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from kindness.models import Act, Contact, Pass
from tests.clock import TODAY
from tests.factories import claim, make_act, make_contact, make_user

pytestmark = pytest.mark.usefixtures("clock")

BASE = "http://127.0.0.1:5000"  # KINDNESS_BASE_URL's default: cards link there


def pass_forms(page: str) -> list[str]:
    """The act ids that a one-step "Pass it on" button on the page would pass on."""
    return re.findall(r'action="/acts/(\d+)/pass"', page)


def one_step(client, act_id: int):
    return client.post(f"/acts/{act_id}/pass", data={"keep": "y"})


def passes_of(session, act_id: int) -> list[Pass]:
    session.expire_all()
    return list(session.scalars(select(Pass).where(Pass.act_id == act_id)))


def test_the_flash_after_logging_offers_pass_it_on_in_one_step(session, log_in):
    ada = make_user(session)
    client = log_in(ada)
    logged = client.post("/acts/new", data={"what": "Carried the shopping", "next": "/"})
    assert logged.status_code == 302
    act = session.scalars(select(Act).where(Act.author_id == ada.id)).one()
    page = client.get("/").get_data(as_text=True)
    assert "Logged. Thank you for your kindness." in page
    offer = re.search(r'<form method="post" action="/acts/(\d+)/pass" class="flash-offer">', page)
    assert offer and int(offer.group(1)) == act.id
    # The dashboard's list offers it too; the offer shows once.
    assert pass_forms(page) == [str(act.id), str(act.id)]
    assert pass_forms(client.get("/").get_data(as_text=True)) == [str(act.id)]
    response = one_step(client, act.id)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/acts/{act.id}/card"
    [link] = passes_of(session, act.id)
    assert not link.show_text  # private by default
    card = client.get(f"/acts/{act.id}/card").get_data(as_text=True)
    assert f'href="{BASE}/p/{link.code}"' in card
    assert 'class="segno"' in card and "data-copy" in card and "data-share-url" in card


def test_the_full_form_flashes_the_offer_too(session, log_in):
    ada = make_user(session)
    client = log_in(ada)
    page = client.post(
        "/acts/new", data={"what": "Fixed a bike", "category": "other"}, follow_redirects=True
    ).get_data(as_text=True)
    act = session.scalars(select(Act).where(Act.author_id == ada.id)).one()
    assert 'class="flash-offer"' in page and f'action="/acts/{act.id}/pass"' in page


@pytest.mark.parametrize("where", ["/", "/acts", "contact", "detail"])
def test_pass_it_on_from_every_list_and_the_act_page(session, log_in, where):
    ada = make_user(session)
    grete = make_contact(session, ada, "Grete")
    act = make_act(session, ada, TODAY, what="Watered the plants", contact=grete)
    client = log_in(ada)
    path = {"contact": f"/contacts/{grete.id}", "detail": f"/acts/{act.id}"}.get(where, where)
    page = client.get(path).get_data(as_text=True)
    assert pass_forms(page) == [str(act.id)]
    assert ">Pass it on</button>" in page
    response = (
        client.post(f"/acts/{act.id}/pass") if where == "detail" else one_step(client, act.id)
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/acts/{act.id}/card"
    assert len(passes_of(session, act.id)) == 1
    assert client.get(f"/acts/{act.id}/card").status_code == 200


def test_one_step_opens_the_card_already_made_without_changing_it(session, log_in):
    ada = make_user(session)
    act = make_act(session, ada, TODAY, what="Baked a cake")
    client = log_in(ada)
    client.post(f"/acts/{act.id}/pass", data={"show_text": "y"})
    [made] = passes_of(session, act.id)
    assert one_step(client, act.id).headers["Location"] == f"/acts/{act.id}/card"
    [kept] = passes_of(session, act.id)
    assert (kept.id, kept.code, kept.show_text) == (made.id, made.code, True)


def test_claimed_and_hidden_acts_offer_no_button(session, log_in):
    ada, ben = make_user(session), make_user(session)
    claimed = claim(session, make_act(session, ada, TODAY, what="Claimed one"), ben)
    hidden = make_act(session, ada, TODAY, what="Hidden one")
    hidden.hidden_at = datetime.now(UTC)
    session.commit()
    open_one = make_act(session, ada, TODAY, what="Open one")
    client = log_in(ada)
    page = client.get("/acts").get_data(as_text=True)
    assert pass_forms(page) == [str(open_one.id)]
    assert f'href="/acts/{claimed.id}/card">Claimed: see the card' in page
    detail = client.get(f"/acts/{hidden.id}").get_data(as_text=True)
    assert "cannot be passed on" in detail and pass_forms(detail) == []
    # Posting anyway is refused with a message, and makes nothing.
    refused = one_step(client, hidden.id)
    assert refused.headers["Location"] == f"/acts/{hidden.id}"
    flashed = client.get(f"/acts/{hidden.id}").get_data(as_text=True)
    assert (
        '<p class="flash flash-error" role="status">A moderator has hidden this act; '
        "it cannot be passed on.</p>" in flashed
    )
    assert passes_of(session, hidden.id) == []


@pytest.mark.parametrize("named", [True, False])
def test_the_author_opens_the_card_of_a_claimed_act(session, log_in, named):
    ada, ben, cy = (make_user(session, display_name=n) for n in ("Ada", "Ben", "Cy"))
    act = claim(session, make_act(session, ada, TODAY, what="Shovelled snow"), ben, named=named)
    page = log_in(ada).get(f"/acts/{act.id}/card")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    day = TODAY.strftime("%B %-d, %Y")
    expected = f"Claimed by Ben on {day}." if named else f"Claimed by someone on {day}."
    assert expected in text
    assert "Ben" in text if named else "Ben" not in text
    # The spent link is neither shown nor shareable any more.
    [link] = passes_of(session, act.id)
    assert link.code not in text and "segno" not in text and "data-copy" not in text
    for other in (ben, cy):
        assert log_in(other).get(f"/acts/{act.id}/card").status_code == 404


def test_the_author_opens_a_withdrawn_card_and_can_make_a_new_one(session, log_in):
    ada, ben = make_user(session), make_user(session)
    act = make_act(session, ada, TODAY)
    client = log_in(ada)
    one_step(client, act.id)
    client.post(f"/acts/{act.id}/pass/revoke")
    [old] = passes_of(session, act.id)
    page = client.get(f"/acts/{act.id}/card")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "You withdrew this card" in text and old.code not in text
    assert pass_forms(text) == [str(act.id)] and "Make a new card" in text
    assert log_in(ben).get(f"/acts/{act.id}/card").status_code == 404
    one_step(client, act.id)
    codes = {link.code for link in passes_of(session, act.id)}
    assert len(codes) == 2
    assert "You withdrew" not in client.get(f"/acts/{act.id}/card").get_data(as_text=True)


def test_an_act_without_a_card_has_no_card_page(session, log_in):
    ada = make_user(session)
    act = make_act(session, ada, TODAY)
    assert log_in(ada).get(f"/acts/{act.id}/card").status_code == 404


# Several people at once


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def several(client, names=(), unnamed=0, **extra):
    data = {"what": "Read a story to the class", "names": "\n".join(names), **extra}
    if unnamed:
        data["unnamed"] = str(unnamed)
    return client.post("/acts/several", data=data)


def sheet_links(page: str) -> list[str]:
    return re.findall(
        r'<a class="pass-url" href="(http://127\.0\.0\.1:5000/p/[A-Za-z0-9_-]+)"', page
    )


def test_the_several_form_is_offered_and_shown(session, log_in):
    client = log_in(make_user(session))
    assert 'href="/acts/several"' in client.get("/").get_data(as_text=True)
    assert 'href="/acts/several"' in client.get("/acts/new").get_data(as_text=True)
    page = client.get("/acts/several").get_data(as_text=True)
    assert 'name="names"' in page and 'name="unnamed"' in page


def test_one_person_gets_one_act_and_one_card(session, log_in):
    ada = make_user(session)
    client = log_in(ada)
    response = several(client, ["Mia"])
    assert response.status_code == 302
    act = session.scalars(select(Act).where(Act.author_id == ada.id)).one()
    assert response.headers["Location"] == f"/acts/sheet?ids={act.id}"
    assert session.scalars(select(Contact.name).where(Contact.owner_id == ada.id)).all() == ["Mia"]
    [link] = passes_of(session, act.id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert sheet_links(page) == [f"{BASE}/p/{link.code}"]
    assert "for Mia" in page


def test_fifty_people_get_fifty_acts_and_fifty_distinct_cards(session, log_in):
    ada = make_user(session)
    make_contact(session, ada, "Kid 1")  # an existing contact is reused
    client = log_in(ada)
    names = [f"Kid {n}" for n in range(1, 31)]
    response = several(client, names, unnamed=20, show_text="y", category="other")
    assert response.status_code == 302
    made = session.scalars(select(Act).where(Act.author_id == ada.id).order_by(Act.id)).all()
    assert len(made) == 50
    assert len({act.root_id for act in made}) == 50  # each its own chain: one per person
    assert sum(act.contact_id is None for act in made) == 20
    assert count(session, Contact) == 30
    links = session.scalars(select(Pass).where(Pass.act_id.in_([a.id for a in made]))).all()
    assert len(links) == 50 and all(link.show_text for link in links)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    shown = sheet_links(page)
    assert len(shown) == 50 and len(set(shown)) == 50
    assert set(shown) == {f"{BASE}/p/{link.code}" for link in links}
    # Each card's QR code is its own.
    qrs = re.findall(r'<svg[^>]*class="segno".*?</svg>', page, re.S)
    assert len(qrs) == 50 and len(set(qrs)) == 50
    assert page.count("Read a story to the class") == 50


@pytest.mark.parametrize(
    ("names", "unnamed", "message"),
    [
        ([f"Kid {n}" for n in range(51)], 0, "at most 50 people at once; this was 51"),
        ([f"Kid {n}" for n in range(40)], 11, "at most 50 people at once; this was 51"),
        ([], 0, "Name at least one person, or say how many people."),
        (["   ", ""], 0, "Name at least one person, or say how many people."),
        (["Mia", "x" * 81], 0, "Each name may have at most 80 characters."),
    ],
)
def test_too_many_or_none_is_a_clear_message_and_logs_nothing(
    session, log_in, names, unnamed, message
):
    ada = make_user(session)
    client = log_in(ada)
    response = several(client, names, unnamed=unnamed)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(session, Act) == 0 and count(session, Pass) == 0 and count(session, Contact) == 0


def test_a_bad_shared_field_logs_nothing(session, log_in):
    client = log_in(make_user(session))
    response = several(client, ["Mia", "Tom"], performed_on="2999-01-01")
    assert response.status_code == 422
    assert "cannot be dated in the future" in response.get_data(as_text=True)
    assert count(session, Act) == 0 and count(session, Contact) == 0


def test_logging_for_several_is_rate_limited_per_person(app, session, log_in):
    app.config["SEVERAL_LIMIT"] = "2 per hour"
    ada, ben = make_user(session), make_user(session)
    client = log_in(ada)
    assert several(client, []).status_code == 422  # a refused form uses up nothing
    assert [several(client, ["Mia"]).status_code for _ in range(3)] == [302, 302, 429]
    assert count(session, Act) == 2
    assert several(log_in(ben), ["Tom"]).status_code == 302  # another person's allowance


def test_the_sheet_shows_only_ones_own_open_cards(session, log_in):
    ada, ben = make_user(session), make_user(session)
    mine = make_act(session, ada, TODAY)
    theirs = make_act(session, ben, TODAY)
    client = log_in(ada)
    several(client, ["Mia", "Tom"])
    made = session.scalars(
        select(Act.id).where(Act.author_id == ada.id, Act.id != mine.id).order_by(Act.id)
    ).all()
    ids = ",".join(map(str, made))
    assert len(sheet_links(client.get(f"/acts/sheet?ids={ids}").get_data(as_text=True))) == 2
    one_step(log_in(ben), theirs.id)
    # Someone else's act in the list, or a list that is no list: 404, nothing shown.
    for query in (
        f"{ids},{theirs.id}",
        f"{theirs.id}",
        "",
        "1,x",
        "0",
        "9" * 30,
        ",".join(["1"] * 51),
    ):
        response = client.get(f"/acts/sheet?ids={query}")
        assert response.status_code == 404, query
    assert log_in(ben).get(f"/acts/sheet?ids={ids}").status_code == 404
    # An own act without an open card is left out; revoked cards are not printed.
    client.post(f"/acts/{made[0]}/pass/revoke")
    page = client.get(f"/acts/sheet?ids={ids},{mine.id}").get_data(as_text=True)
    assert len(sheet_links(page)) == 1
    assert client.get("/acts/sheet?ids=").status_code == 404


@pytest.mark.parametrize("ids", ["²", "1,①", "١", "1" * 5000, "0", "2147483648", "1,,2"])
def test_a_sheet_asked_for_ids_that_are_no_ids_is_a_404(session, log_in, ids):
    ada = make_user(session)
    act = make_act(session, ada, TODAY)
    client = log_in(ada)
    client.post(f"/acts/{act.id}/pass", data={"keep": "y"})
    assert client.get(f"/acts/sheet?ids={act.id}").status_code == 200
    assert client.get(f"/acts/sheet?ids={ids}").status_code == 404
