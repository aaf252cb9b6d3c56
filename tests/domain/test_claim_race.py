"""People claim one card at the same moment, on real connections of their own:
exactly one wins; every other one is told that the card has already been
claimed (``CardClaimed``), never that it does not exist."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kindness import create_app
from kindness.cli import migrate
from kindness.domain import passes
from kindness.models import Act, ChainStats, Notification, Pass, User
from tests.clock import TODAY
from tests.conftest import TEST_CONFIG
from tests.databases import fresh_database, open_engine
from tests.factories import make_act, make_user

CLAIMERS = 8


def _card_and_claimers(engine, count: int) -> tuple[str, int, list[int]]:
    with Session(engine) as setup:
        author = make_user(setup, email="author@example.org")
        claimers = [make_user(setup, email=f"claimer{n}@example.org") for n in range(count)]
        act = make_act(setup, author, TODAY)
        code = passes.create(setup, act, show_text=False).code
        setup.commit()
        return code, act.id, [claimer.id for claimer in claimers]


def _exactly_one_claim(engine, act_id: int, winner: int) -> None:
    with Session(engine) as check:
        assert check.get(Act, act_id).recipient_id == winner
        assert check.scalar(select(func.count(Pass.id)).where(Pass.claimed_at.is_not(None))) == 1
        assert check.scalar(select(func.count(Notification.id))) == 1
        stats = check.get(ChainStats, act_id)
        assert (stats.unnamed, stats.reach) == (0, 2)


def test_simultaneous_claims_one_wins_the_others_hear_it_was_claimed(tmp_path):
    with fresh_database("postgresql", tmp_path) as url:
        migrate.upgrade(url)
        engine = open_engine(url)
        try:
            code, act_id, claimers = _card_and_claimers(engine, CLAIMERS)
            barrier = threading.Barrier(len(claimers))
            outcomes: dict[int, str] = {}

            def attempt(user_id: int) -> None:
                with Session(engine) as session:
                    user = session.get(User, user_id)
                    session.execute(select(1))  # open the transaction before the race
                    barrier.wait()
                    try:
                        passes.claim(session, code, user, named=False)
                        session.commit()
                        outcomes[user_id] = "won"
                    except passes.CardClaimed as error:
                        session.rollback()
                        outcomes[user_id] = f"told: {error.message}"

            threads = [threading.Thread(target=attempt, args=(uid,)) for uid in claimers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)

            assert len(outcomes) == len(claimers)
            assert list(outcomes.values()).count("won") == 1
            told = [o for o in outcomes.values() if o != "won"]
            assert told == ["told: This card has already been claimed."] * (len(claimers) - 1)
            winner = next(uid for uid, outcome in outcomes.items() if outcome == "won")
            _exactly_one_claim(engine, act_id, winner)
        finally:
            engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_losers_of_a_race_see_the_claimed_page(tmp_path, backend):
    """Through the pages, on a real database: of many people pressing "Claim" at
    once, one is sent on to the card, the others get the claimed page (409), no 404."""
    with fresh_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        app = create_app({**TEST_CONFIG, "DATABASE_URL": url, "CLAIM_LIMIT": "1000 per minute"})
        engine = open_engine(url)
        try:
            code, act_id, claimers = _card_and_claimers(engine, CLAIMERS)
            with Session(engine) as lookup:
                login_ids = {uid: lookup.get(User, uid).get_id() for uid in claimers}
            barrier = threading.Barrier(len(claimers))
            answers: dict[int, tuple[int, str, str]] = {}

            def press(user_id: int) -> None:
                client = app.test_client()
                with client.session_transaction() as flask_session:
                    flask_session["_user_id"] = login_ids[user_id]
                    flask_session["_fresh"] = True
                barrier.wait()
                response = client.post(f"/p/{code}")
                answers[user_id] = (
                    response.status_code,
                    response.headers.get("Location", ""),
                    response.get_data(as_text=True),
                )

            threads = [threading.Thread(target=press, args=(uid,)) for uid in claimers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)

            assert len(answers) == len(claimers)
            statuses = sorted(status for status, _location, _page in answers.values())
            assert statuses == [302] + [409] * (len(claimers) - 1)
            winner = next(uid for uid, answer in answers.items() if answer[0] == 302)
            assert answers[winner][1] == f"/p/{code}"
            for uid, (_status, _location, page) in answers.items():
                if uid != winner:
                    assert "This card has already been claimed." in page
                    assert "There is nothing here" not in page
            _exactly_one_claim(engine, act_id, winner)
        finally:
            engine.dispose()
            app.extensions["kindness.db"].engine.dispose()
