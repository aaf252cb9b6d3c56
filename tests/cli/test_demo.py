"""The seed-demo command: a believable demo world, made through the domain rules,
and a refusal to touch databases with real accounts."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kindness.cli.demo import DEMO_DOMAIN
from kindness.domain.chains import statistics
from kindness.domain.ideas import load_ideas
from kindness.models import Act, ChainStats, Challenge, Team, TeamWeek, User
from tests.clock import TODAY
from tests.factories import make_user

# A small world with a capped big chain keeps the test fast.
SMALL = ["seed-demo", "--users", "8", "--seed", "3", "--max-chain", "15"]


# Noon in Berlin is still the same day in New York and Chicago.
pytestmark = pytest.mark.usefixtures("clock")


def demo_users(session) -> list[User]:
    return list(session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}"))))


def test_seed_demo_makes_a_believable_world(runner, session):
    result = runner.invoke(args=SMALL)

    assert result.exit_code == 0, result.output
    assert "kindness-demo-2026" in result.output
    assert "/explore" in result.output
    users = demo_users(session)
    assert len(users) == 8
    assert {user.locale for user in users} == {"de", "en"}
    assert session.scalar(select(func.count()).select_from(Team)) == 2
    for team in session.scalars(select(Team)):
        assert f"/teams/{team.slug}" in result.output
        starts = [w.starts_on for w in session.scalars(select(TeamWeek).filter_by(team_id=team.id))]
        assert len(starts) == 2
        assert min(starts) + timedelta(days=6) < TODAY  # a past week
        assert max(starts) <= TODAY <= max(starts) + timedelta(days=6)  # and the current one
    assert session.scalar(select(func.count()).select_from(Challenge)) > 0

    visibilities = dict(
        session.execute(select(Act.visibility, func.count()).group_by(Act.visibility)).all()
    )
    assert set(visibilities) == {"private", "team", "public"}
    texts = set(session.scalars(select(Act.what)))
    assert texts & {idea.text_de for idea in load_ideas()}
    assert texts & {idea.text_en for idea in load_ideas()}
    assert session.scalar(select(func.min(Act.performed_on))) >= TODAY - timedelta(days=60)
    assert session.scalar(select(func.max(Act.performed_on))) <= TODAY

    biggest = session.scalar(select(ChainStats).order_by(ChainStats.acts.desc()).limit(1))
    assert biggest.acts == 15
    assert biggest.public_acts > 0
    figures = statistics.of_chain(session, biggest.root_id)
    assert (figures.acts, figures.reach, figures.generations) == (
        biggest.acts,
        biggest.reach,
        biggest.generations,
    )
    assert (figures.first_on, figures.last_on) == (biggest.first_on, biggest.last_on)


def test_a_second_batch_needs_force_and_gets_new_numbers(runner, session):
    make_user(session, email=f"demo-5@{DEMO_DOMAIN}")

    again = runner.invoke(args=SMALL)
    assert again.exit_code != 0
    assert "Demo data exists already" in again.output
    assert len(demo_users(session)) == 1

    forced = runner.invoke(args=[*SMALL, "--users", "6", "--force"])
    assert forced.exit_code == 0, forced.output
    assert f"demo-6@{DEMO_DOMAIN} .. demo-11@{DEMO_DOMAIN}" in forced.output
    assert len(demo_users(session)) == 7


def test_refuses_a_database_with_real_accounts(runner, session):
    make_user(session, email="ada@example.org")

    refused = runner.invoke(args=SMALL)

    assert refused.exit_code != 0
    assert "not demo accounts" in refused.output
    assert "--force" in refused.output
    assert demo_users(session) == []
    assert session.scalar(select(func.count()).select_from(Act)) == 0
