"""Deleting an account keeps others' chains whole and leaves none of the
person's private words behind."""

from datetime import date

import pytest
from sqlalchemy import MetaData, String, Text, select

from kindness.domain import thanks
from kindness.domain.chains import graph, statistics
from kindness.models import Act, ChainStats, Contact, User
from tests.clock import TODAY
from tests.factories import PASSWORD, claim, make_act, make_challenge, make_contact, make_user

pytestmark = pytest.mark.usefixtures("clock")


def every_text_in_the_database(session) -> str:
    """All string values of every table, to search for leftovers."""
    metadata = MetaData()
    metadata.reflect(bind=session.connection())
    texts = []
    for table in metadata.tables.values():
        columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
        if columns:
            for row in session.execute(select(*columns)):
                texts.extend(str(value) for value in row if value is not None)
    return "\n".join(texts)


def test_deleting_an_account_keeps_chains_whole(app, session, log_in):
    ada = make_user(session, display_name="AdaGone", email="ada-gone@example.org")
    ben = make_user(session, display_name="Ben")
    cy = make_user(session, display_name="Cy")
    friend = make_contact(session, ada, "FriendNameSecret", note="ContactNoteSecret")
    make_challenge(session, ada, date(2026, 11, 1))
    # ben's act, received by ada, who passed it on; cy received ada's forward and went on.
    root = make_act(session, ben, TODAY, what="Ben's kindness", visibility="public")
    claim(session, root, ada)
    middle = make_act(
        session,
        ada,
        TODAY,
        what="AdaForwardSecret",
        note="AdaNoteSecret",
        parent=root,
        contact=friend,
    )
    claim(session, middle, cy)
    leaf = make_act(session, cy, TODAY, what="Cy's kindness", parent=middle)
    # Thank-you notes: the one ada wrote, and the one written to her, go with her.
    thanks.write(session, ada, root.ref, "AdaThanksSecret")
    thanks.write(session, cy, middle.ref, "ThanksToAdaSecret")
    session.commit()
    lonely = make_act(session, ada, TODAY, what="AdaLonelySecret")

    client = log_in(ada)
    page = client.get("/settings/delete").get_data(as_text=True)
    assert "cannot be undone" in page
    wrong = client.post("/settings/delete", data={"password": "not my password"})
    assert "current password is not right" in wrong.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, ada.id) is not None

    ada_id, lonely_id = ada.id, lonely.id
    response = client.post("/settings/delete", data={"password": PASSWORD})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(User, ada_id) is None
    assert client.get("/settings").status_code == 302  # signed out

    # The chain keeps its shape: ada's forward is a placeholder between the two others.
    rows = graph.whole_chain(session, root.id)
    assert [row.id for row in rows] == [root.id, middle.id, leaf.id]
    placeholder = session.get(Act, middle.id)
    assert placeholder.is_placeholder and placeholder.author_id is None
    assert session.get(Act, root.id).recipient_id is None
    assert session.get(Act, lonely_id) is None
    assert session.get(ChainStats, lonely_id) is None
    stats = session.get(ChainStats, root.id)
    assert stats.acts == statistics.of_chain(session, root.id).acts == 3
    assert stats.reach == statistics.of_chain(session, root.id).reach
    assert session.scalars(select(Contact).where(Contact.name == "FriendNameSecret")).all() == []

    leftovers = every_text_in_the_database(session)
    for secret in (
        "AdaGone",
        "ada-gone@example.org",
        "FriendNameSecret",
        "ContactNoteSecret",
        "AdaForwardSecret",
        "AdaNoteSecret",
        "AdaLonelySecret",
        "AdaThanksSecret",
        "ThanksToAdaSecret",
    ):
        assert secret not in leftovers, secret
    assert "Cy's kindness" in leftovers

    # Others still see the chain, with the placeholder.
    viewer = app.test_client()
    text = viewer.get(f"/chains/{root.ref}.json").get_data(as_text=True)
    assert "Ben's kindness" in text and "AdaForwardSecret" not in text


def test_an_old_session_of_a_deleted_account_finds_nobody(app, session, log_in):
    client = log_in(make_user(session))
    saved = client.get_cookie("session").value
    client.post("/settings/delete", data={"password": PASSWORD})
    replay = app.test_client()
    replay.set_cookie("session", saved)
    assert replay.get("/settings").status_code == 302
