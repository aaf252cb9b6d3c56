""" "Download my data" through the pages: the round trip (every string of the person,
none of anyone else's private ones), owner-only downloads, one export at a time,
the size cap, expiry after a day, and the Settings page's states."""

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kindness.domain import challenges, data_exports, thanks
from kindness.domain.teams import membership
from kindness.jobs import dispatch
from kindness.models import DataExport, Notification, OutboxJob
from kindness.schemas.my_data import SECTIONS
from tests.clock import NOON_IN_BERLIN, TODAY
from tests.conftest import joined_app
from tests.factories import claim, make_act, make_challenge, make_contact, make_user
from tests.web.test_privacy_crawl import PRIVATE_MARKERS, TEAM_MARKER

pytestmark = pytest.mark.usefixtures("clock")

# Ada's own strings, one in every place of her data.
OWN = {
    "act": "ADAOWN-act",
    "note": "ADAOWN-note",
    "contact": "ADAOWN-contact",
    "contact_note": "ADAOWN-contact-note",
    "reflection": "ADAOWN-reflection",
    "thanks_sent": "ADAOWN-thanks-sent",
    "team": "ADAOWN-team",
    "team_description": "ADAOWN-team-about",
    "display_name": "ADAOWN-name",
}
# Strings of others that are Ada's to read: a note Ben wrote her, his display name
# (he chose to be named), his public act she received.
SHOWN_TO_ADA = ("BEN-thanks-for-ada", "Ben", "Ben's public start")


@pytest.fixture
def world(session):
    """Ada, whose data is exported, and Ben, whose private strings carry the privacy
    crawl's markers, in shared chains and a team; Carl, a stranger with his own."""
    ada = make_user(session, display_name=OWN["display_name"], email="privmarker-email@example.org")
    ben = make_user(session, display_name="Ben")
    carl = make_user(session, display_name="Carl")
    friend = make_contact(session, ada, OWN["contact"], note=OWN["contact_note"])
    given = make_act(session, ada, TODAY, what=OWN["act"], contact=friend, note=OWN["note"],
                     visibility="public")  # fmt: skip
    # Ben claims Ada's act (named), thanks her, passes it on privately with private notes.
    claim(session, given, ben, named=True)
    thanks.write(session, ben, given.ref, SHOWN_TO_ADA[0])
    bens_contact = make_contact(session, ben, "PRIVMARKER-contact", note="PRIVMARKER-note")
    make_act(session, ben, TODAY, what="PRIVMARKER-act", parent=given, note="PRIVMARKER-note",
             contact=bens_contact)  # fmt: skip
    # Ben's team act, claimed by Ada from a card that did not show its text.
    team = membership.create(session, ada, name=OWN["team"], description=OWN["team_description"],
                             is_public=False)  # fmt: skip
    membership.join(session, team.invite_code, ben, TODAY)
    team_act = make_act(session, ben, TODAY, what=TEAM_MARKER, visibility="team", parent=given)
    claim(session, team_act, ada)
    thanks.write(session, ada, team_act.ref, OWN["thanks_sent"])
    public = make_act(session, ben, TODAY, what=SHOWN_TO_ADA[2], visibility="public")
    claim(session, public, ada)
    week = make_challenge(session, ada, TODAY - timedelta(days=6), today=TODAY - timedelta(days=6))
    challenges.reflect(session, ada, week.id, OWN["reflection"], TODAY)
    carls = make_contact(session, carl, "PRIVMARKER-contact carl", note="PRIVMARKER-note carl")
    make_act(session, carl, TODAY, what="PRIVMARKER-act carl", contact=carls)
    session.commit()
    return {"ada": ada, "ben": ben, "carl": carl}


def ask(client):
    return client.post("/settings/data")


def export_of(session, user) -> DataExport | None:
    session.expire_all()
    return session.scalar(select(DataExport).where(DataExport.user_id == user.id))


def unzip(body: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def download(client, session, user):
    export = export_of(session, user)
    assert export is not None and export.state == "ready"
    return client.get(f"/settings/data/{export.id}/download")


def test_the_round_trip_has_every_own_string_and_no_one_elses(session, world, log_in):
    client = log_in(world["ada"])
    assert ask(client).status_code == 302
    answer = download(client, session, world["ada"])
    assert answer.status_code == 200
    assert answer.mimetype == "application/zip"
    assert "attachment" in answer.headers["Content-Disposition"]
    assert "no-store" in answer.headers["Cache-Control"]
    files = unzip(answer.data)
    assert set(files) == {
        "kindness-data/README.txt",
        *(f"kindness-data/json/{name}.json" for name in SECTIONS),
        *(f"kindness-data/csv/{name}.csv" for name in SECTIONS),
    }
    as_json = "\n".join(text for name, text in files.items() if name.endswith(".json"))
    as_csv = "\n".join(text for name, text in files.items() if name.endswith(".csv"))
    for text in (as_json, as_csv):
        for own in (*OWN.values(), *SHOWN_TO_ADA):
            assert own in text, own
        for private in (*PRIVATE_MARKERS, TEAM_MARKER, "privmarker-email"):
            assert private.lower() not in text.lower(), private
    everything = "\n".join(files.values())
    assert "PRIVMARKER" not in everything and TEAM_MARKER not in everything


def test_the_json_is_what_the_shapes_dump(session, world, log_in):
    client = log_in(world["ada"])
    ask(client)
    files = unzip(download(client, session, world["ada"]).data)
    acts = json.loads(files["kindness-data/json/acts.json"])
    [own] = [act for act in acts if act["what"] == OWN["act"]]
    assert (own["note"], own["contact_name"], own["visibility"]) == (
        OWN["note"],
        OWN["contact"],
        "public",
    )
    forwards = [act for act in acts if act["parent_ref"] is not None]
    assert forwards == []  # Ada received, and forwarded nothing
    received = json.loads(files["kindness-data/json/received.json"])
    assert sorted((item["what"] or "-") for item in received) == ["-", SHOWN_TO_ADA[2]]
    teams = json.loads(files["kindness-data/json/teams.json"])
    assert [(team["name"], team["role"]) for team in teams] == [(OWN["team"], "owner")]
    profile = json.loads(files["kindness-data/json/profile.json"])
    assert profile["display_name"] == OWN["display_name"] and "email" not in profile
    header = files["kindness-data/csv/inbox.csv"].splitlines()[0].split(",")
    assert "thanks.text" in header and "team_week.team_name" in header
    readme = files["kindness-data/README.txt"]
    assert "acts:" in readme and "/api/v1" in readme


def test_the_readme_speaks_the_persons_language(session, world, log_in):
    world["ada"].locale = "de"
    session.commit()
    client = log_in(world["ada"])
    ask(client)
    readme = unzip(download(client, session, world["ada"]).data)["kindness-data/README.txt"]
    assert "Deine Daten" in readme


def test_only_its_owner_downloads_it(session, world, log_in, app):
    ask(log_in(world["ada"]))
    export = export_of(session, world["ada"])
    path = f"/settings/data/{export.id}/download"
    answer = log_in(world["ben"]).get(path)
    assert answer.status_code == 404
    assert b"PK" not in answer.data[:2]
    assert app.test_client().get(path).status_code == 302  # to log in
    for absurd in ("0", "99999999999", "abc", str(export.id + 1000)):
        assert log_in(world["ada"]).get(f"/settings/data/{absurd}/download").status_code == 404


def test_one_export_at_a_time(session, world, log_in):
    # Asked for, its job not run yet (the outbox row waits).
    data_exports.request(session, world["ada"], datetime.now(UTC))
    session.commit()
    client = log_in(world["ada"])
    before = export_of(session, world["ada"]).id
    answer = ask(client)
    assert answer.status_code == 302
    page = client.get("/settings").get_data(as_text=True)
    assert "Your data is being gathered already" in page
    assert "We are gathering your data. Reload this page in a moment." in page
    assert "Gather my data" not in page
    assert export_of(session, world["ada"]).id == before
    assert session.scalar(select(func.count()).select_from(OutboxJob)) == 1


def test_asking_again_replaces_a_ready_export(session, world, log_in, clock):
    client = log_in(world["ada"])
    ask(client)
    first = export_of(session, world["ada"]).finished_at
    clock.shift(timedelta(minutes=5))
    ask(client)
    second = export_of(session, world["ada"])
    assert second.state == "ready" and second.finished_at == first + timedelta(minutes=5)
    assert session.scalar(select(func.count()).select_from(DataExport)) == 1
    # The first one's notice went with it.
    notices = select(func.count()).where(Notification.kind == "data_export")
    assert session.scalar(notices) == 1
    assert download(client, session, world["ada"]).status_code == 200


def test_the_settings_page_shows_each_state(session, world, log_in):
    client = log_in(world["ada"])
    page = client.get("/settings").get_data(as_text=True)
    assert "Gather my data" in page and "Download your data" not in page
    ask(client)
    page = client.get("/settings").get_data(as_text=True)
    export = export_of(session, world["ada"])
    assert f"/settings/data/{export.id}/download" in page
    assert "Ready until" in page and "Gather my data again" in page
    inbox = client.get("/inbox").get_data(as_text=True)
    assert "Your data is ready to download until" in inbox
    assert "/settings#data-heading" in inbox


def test_a_day_later_it_is_gone(session, world, log_in, app, clock):
    client = log_in(world["ada"])
    ask(client)
    export = export_of(session, world["ada"])
    path = f"/settings/data/{export.id}/download"
    clock.move_to(NOON_IN_BERLIN + timedelta(hours=23, minutes=59))
    assert client.get(path).status_code == 200
    clock.move_to(NOON_IN_BERLIN + timedelta(days=1, minutes=1))
    # Expired: no longer served, even before the tick deletes it.
    assert client.get(path).status_code == 404
    assert "Gather my data" in client.get("/settings").get_data(as_text=True)
    dispatch.run(app, "tick", {})
    assert export_of(session, world["ada"]) is None
    assert session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == "data_export")) == 0  # fmt: skip


def test_over_the_size_cap_it_fails_with_a_message(database, smtp_server, log_in):
    with joined_app(database, DATA_EXPORT_MAX_BYTES=1500) as app:
        session = app.extensions["kindness.db"].sessionmaker()
        ada = make_user(session, display_name="Ada")
        for number in range(30):
            make_act(session, ada, TODAY, what=f"A long kindness number {number} " + "x" * 400)
        client = app.test_client()
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = ada.get_id()
        assert client.post("/settings/data").status_code == 302
        export = export_of(session, ada)
        assert (export.state, export.content, export.size) == ("failed", None, None)
        page = client.get("/settings")
        assert page.status_code == 200
        assert "Your data came to more than 1.5 kB, the most we keep" in page.get_data(as_text=True)
        assert f"/settings/data/{export.id}/download" not in page.get_data(as_text=True)
        assert client.get(f"/settings/data/{export.id}/download").status_code == 404
        inbox = client.get("/inbox").get_data(as_text=True)
        assert "Your data could not be gathered" in inbox
        session.close()


def test_a_deleted_account_takes_its_export(session, world, log_in):
    ask(log_in(world["ada"]))
    from kindness.domain import accounts
    from tests.factories import PASSWORD, _cheap

    accounts.delete_account(session, _cheap, world["ada"], PASSWORD)
    session.commit()
    assert session.scalar(select(func.count()).select_from(DataExport)) == 0


def test_a_few_exports_a_day_then_a_page_that_says_why(app, session, world, log_in, clock):
    app.config["DATA_EXPORT_LIMIT"] = "2 per day"
    client = log_in(world["ada"])
    # Refused while one is building: not counted.
    data_exports.request(session, world["ada"], datetime.now(UTC))
    session.commit()
    assert ask(client).status_code == 302
    session.delete(export_of(session, world["ada"]))
    session.commit()
    for _ in range(2):
        clock.shift(timedelta(minutes=5))
        assert ask(client).status_code == 302
    last = export_of(session, world["ada"])
    clock.shift(timedelta(minutes=5))
    refused = ask(client)
    assert refused.status_code == 429
    assert "Download the last one" in refused.get_data(as_text=True)
    assert export_of(session, world["ada"]).id == last.id
    # Each person has their own allowance.
    assert ask(log_in(world["ben"])).status_code == 302
