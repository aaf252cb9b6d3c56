"""Two people claim one card at the same moment, on two PostgreSQL connections:
exactly one wins, the other gets a clear message."""

import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kindness.cli import migrate
from kindness.domain import passes
from kindness.domain.errors import NotFound, RuleViolation
from kindness.models import Act, ChainStats, Pass, User
from tests.clock import TODAY
from tests.databases import fresh_database, open_engine
from tests.factories import make_act, make_user


def test_two_simultaneous_claims_one_wins(tmp_path):
    with fresh_database("postgresql", tmp_path) as url:
        migrate.upgrade(url)
        engine = open_engine(url)
        try:
            with Session(engine) as setup:
                author = make_user(setup, email="author@example.org")
                first = make_user(setup, email="first@example.org")
                second = make_user(setup, email="second@example.org")
                act = make_act(setup, author, TODAY)
                code = passes.create(setup, act, show_text=False).code
                setup.commit()
                claimers = [first.id, second.id]
                act_id = act.id

            barrier = threading.Barrier(2)
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
                    except (RuleViolation, NotFound) as error:
                        session.rollback()
                        outcomes[user_id] = f"refused: {error.message}"

            threads = [threading.Thread(target=attempt, args=(uid,)) for uid in claimers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)

            assert sorted(outcome.split(":")[0] for outcome in outcomes.values()) == [
                "refused",
                "won",
            ]
            refused = next(o for o in outcomes.values() if o.startswith("refused"))
            assert "claimed" in refused or "not found" in refused
            with Session(engine) as check:
                winner = next(uid for uid, outcome in outcomes.items() if outcome == "won")
                assert check.get(Act, act_id).recipient_id == winner
                assert (
                    check.scalar(select(func.count(Pass.id)).where(Pass.claimed_at.is_not(None)))
                    == 1
                )
                stats = check.get(ChainStats, act_id)
                assert (stats.unnamed, stats.reach) == (0, 2)
        finally:
            engine.dispose()
