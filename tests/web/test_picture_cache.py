"""Cached pictures are never stale and never another viewer's: the heatmap, a
chain's picture and the team chart show a new act, a claim, a masking change, a
language and a new day at once, with the pictures kept in this process, in Redis
(this run's own database) and with Redis down; on both databases. And each is
drawn once while nothing changes."""

import logging
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from kindness import picture_cache
from kindness.domain import accounts, acts, moderation
from kindness.domain.acts import ActInput
from kindness.domain.teams import membership, weeks
from kindness.extensions import limiter
from kindness.web import chain_pictures, pictures, team_pictures
from tests.clock import TODAY
from tests.conftest import joined_app
from tests.factories import claim, make_act, make_user
from tests.web.test_rate_limits_redis import redis_url
from tests.web.test_redis_down import REDIS_DOWN
from tests.web.test_team_week_view import MONDAY, chart
from tests.workers import reachable_redis

pytestmark = pytest.mark.usefixtures("clock")

STORES = ("process", "redis", "redis-down")


def forget_pictures(client) -> None:
    for key in client.scan_iter(f"{picture_cache.PREFIX}:*"):
        client.delete(key)


@pytest.fixture(params=STORES)
def store(request) -> str:
    return request.param


@pytest.fixture
def app(database, mailbox, store) -> Iterator[Flask]:
    client = None
    overrides: dict = {}
    if store == "redis":
        client = reachable_redis(redis_url())
        forget_pictures(client)
        overrides["REDIS_URL"] = redis_url()
    elif store == "redis-down":
        overrides["REDIS_URL"] = REDIS_DOWN
    try:
        with joined_app(database, **overrides) as app:
            yield app
    finally:
        limiter._storage_dead = False  # one limiter for every app of the run
        if client is not None:
            forget_pictures(client)
            client.close()


@pytest.fixture
def drawn(monkeypatch) -> Counter:
    """How many times each picture was drawn (not taken from the cache)."""
    counts: Counter = Counter()

    def counting(module, name):
        original = getattr(module, name)

        def draw(*args, **kwargs):
            counts[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, draw)

    counting(pictures, "year_heatmap")
    counting(chain_pictures, "picture")
    counting(chain_pictures, "outline")
    counting(team_pictures, "week_chart")
    return counts


def text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def chain_picture(page: str) -> str:
    return re.search(r'<div class="picture chain-picture[^>]*>(.*?)</div>', page, re.S).group(1)


# -- the dashboard's heatmap -----------------------------------------------------


def test_a_new_act_shows_in_the_heatmap_at_once_and_it_is_drawn_once_meanwhile(
    session, log_in, drawn
):
    ada = make_user(session, display_name="Ada")
    client = log_in(ada)
    before = text(client.get("/"))
    assert "Nov 26, 2026: 0 acts" in before
    assert text(client.get("/")) == before
    assert drawn["year_heatmap"] == 1  # the second page took it from the cache
    make_act(session, ada, TODAY)
    after = text(client.get("/"))
    assert "Nov 26, 2026: 1 act" in after and "Nov 26, 2026: 0 acts" not in after
    assert drawn["year_heatmap"] == 2


def test_a_new_day_and_a_new_language_show_in_the_heatmap_at_once(session, log_in, clock, drawn):
    ada = make_user(session, display_name="Ada")
    client = log_in(ada)
    assert "Nov 27, 2026" not in text(client.get("/"))
    clock.move_to(datetime(2026, 11, 27, 11, tzinfo=UTC))
    assert "Nov 27, 2026: 0 acts" in text(client.get("/"))
    accounts.set_locale(session, ada, "de")
    session.commit()
    german = text(client.get("/"))
    assert "Deine Taten im vergangenen Jahr" in german
    assert "Your acts over the past year" not in german
    assert drawn["year_heatmap"] == 3


def test_two_people_never_get_each_others_heatmap(session, log_in):
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    make_act(session, ada, TODAY)
    assert "Nov 26, 2026: 1 act" in text(log_in(ada).get("/"))
    assert "Nov 26, 2026: 0 acts" in text(log_in(ben).get("/"))
    assert "Nov 26, 2026: 1 act" in text(log_in(ada).get("/"))


# -- a chain's picture -------------------------------------------------------------


@pytest.fixture
def chain(session):
    """Ada's public act, claimed by Ben (named), who passed it on privately."""
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    cleo = make_user(session, display_name="Cleo")
    root = make_act(session, ada, TODAY, what="Planted tulips", visibility="public")
    claim(session, root, ben, named=True)
    forward = make_act(session, ben, TODAY, what="Ben's quiet deed", parent=root)
    return {"ada": ada, "ben": ben, "cleo": cleo, "root": root, "forward": forward}


@pytest.mark.parametrize("owner_first", [True, False])
def test_the_owner_sees_a_private_act_in_the_picture_others_a_placeholder_in_either_order(
    client, log_in, chain, owner_first
):
    path = f"/chains/{chain['root'].ref}"
    viewers = [
        ("owner", log_in(chain["ben"])),
        ("stranger", log_in(chain["cleo"])),
        ("anonymous", client),
    ]
    if not owner_first:
        viewers.reverse()
    for _round in range(2):  # the second round is answered from the cache
        for who, viewer in viewers:
            picture = chain_picture(text(viewer.get(path)))
            assert "Planted tulips" in picture
            if who == "owner":
                assert "Ben&#39;s quiet deed" in picture
            else:
                assert "quiet deed" not in picture
                assert "An act someone did" in picture


def test_a_claim_shows_in_the_chain_picture_at_once(session, client, drawn):
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    root = make_act(session, ada, TODAY, what="Planted tulips", visibility="public")
    path = f"/chains/{root.ref}"
    assert "Ada → someone" in chain_picture(text(client.get(path)))
    assert "Ada → someone" in chain_picture(text(client.get(path)))
    assert drawn["picture"] == 1
    claim(session, root, ben, named=True)
    picture = chain_picture(text(client.get(path)))
    assert "Ada → Ben" in picture and "someone" not in picture


def test_a_visibility_change_hiding_and_deleting_show_in_the_chain_picture_at_once(
    session, log_in, chain
):
    cleo = log_in(chain["cleo"])
    path = f"/chains/{chain['root'].ref}"
    assert "quiet deed" not in chain_picture(text(cleo.get(path)))
    forward = chain["forward"]
    acts.update(
        session,
        chain["ben"],
        forward.id,
        ActInput(what=forward.what, performed_on=TODAY, category="help", visibility="public"),
        TODAY,
    )
    session.commit()
    assert "Ben&#39;s quiet deed" in chain_picture(text(cleo.get(path)))
    moderator = make_user(session, display_name="Mo")
    moderation.hide(session, moderator, forward.id)
    session.commit()
    picture = chain_picture(text(cleo.get(path)))
    assert "quiet deed" not in picture and "An act someone did" in picture
    # The author still sees their own act, hidden or not.
    assert "Ben&#39;s quiet deed" in chain_picture(text(log_in(chain["ben"]).get(path)))
    acts.delete(session, chain["ben"], forward.id)
    session.commit()
    assert "An act someone did" not in chain_picture(text(cleo.get(path)))


def test_a_new_forward_and_a_new_language_show_in_the_chain_picture_at_once(session, log_in, chain):
    ben = log_in(chain["ben"])
    path = f"/chains/{chain['root'].ref}"
    assert "Second deed" not in chain_picture(text(ben.get(path)))
    make_act(session, chain["ben"], TODAY, what="Second deed", parent=chain["root"])
    assert "Second deed" in chain_picture(text(ben.get(path)))
    cleo = log_in(chain["cleo"])
    assert "An act someone did" in chain_picture(text(cleo.get(path)))
    accounts.set_locale(session, chain["cleo"], "de")
    session.commit()
    picture = chain_picture(text(cleo.get(path)))
    assert "Eine Tat, die jemand getan hat" in picture and "An act someone did" not in picture


# -- the team chart ------------------------------------------------------------------


def test_a_new_act_and_a_new_day_show_in_the_team_chart_at_once(session, log_in, clock, drawn):
    olga = make_user(session, display_name="Olga")
    bea = make_user(session, display_name="Bea")
    team = membership.create(session, olga, name="Tulips", description=None, is_public=False)
    membership.join(session, team.invite_code, bea, TODAY)
    weeks.schedule_week(session, team, olga, MONDAY, TODAY)
    session.commit()
    clock.move_to(datetime(2026, 11, 30, 11, tzinfo=UTC))  # Monday, noon in Berlin
    client = log_in(olga)
    path = f"/teams/{team.slug}"
    first = chart(text(client.get(path)))
    assert first["today"] == MONDAY and first["titled"][MONDAY] == (0, 0)
    assert chart(text(client.get(path))) == first
    assert drawn["week_chart"] == 1
    make_act(session, bea, MONDAY, today=MONDAY)
    assert chart(text(client.get(path)))["titled"][MONDAY] == (1, 1)
    clock.move_to(datetime(2026, 12, 1, 11, tzinfo=UTC))
    assert chart(text(client.get(path)))["today"] == MONDAY + timedelta(days=1)
    assert drawn["week_chart"] == 3


# -- where the pictures are kept -------------------------------------------------------


def test_the_pictures_are_kept_where_the_settings_say(app, store, session, log_in):
    ada = make_user(session, display_name="Ada")
    text(log_in(ada).get("/"))
    cache = app.extensions[picture_cache.EXTENSION]
    if store == "redis":
        stored = list(reachable_redis(redis_url()).scan_iter(f"{picture_cache.PREFIX}:*"))
        assert any(b":heatmap:" in key for key in stored)
        assert len(cache.local) == 0
    else:  # in this process, with or without a Redis that is down
        assert len(cache.local) >= 1


@pytest.mark.parametrize("store", ["redis"])
def test_a_picture_put_into_redis_by_someone_else_is_never_shown(session, log_in, drawn):
    ada = make_user(session, display_name="Ada")
    client = log_in(ada)
    text(client.get("/"))
    redis_client = reachable_redis(redis_url())
    (key,) = [k for k in redis_client.scan_iter(f"{picture_cache.PREFIX}:*") if b":heatmap:" in k]
    redis_client.set(key, b"0" * picture_cache.MAC_BYTES + b"<script>alert(1)</script>")
    page = text(client.get("/"))
    assert "alert(1)" not in page and "Nov 26, 2026: 0 acts" in page
    assert drawn["year_heatmap"] == 2


@pytest.mark.parametrize("store", ["redis-down"])
def test_redis_down_is_logged_once_and_the_pictures_still_come_from_this_process(
    session, log_in, drawn, caplog
):
    ada = make_user(session, display_name="Ada")
    client = log_in(ada)
    with caplog.at_level(logging.WARNING, logger=picture_cache.__name__):
        assert "Nov 26, 2026: 0 acts" in text(client.get("/"))
        assert "Nov 26, 2026: 0 acts" in text(client.get("/"))
    warnings = [r for r in caplog.records if r.name == picture_cache.__name__]
    assert len(warnings) == 1 and "Redis does not answer" in warnings[0].getMessage()
    assert drawn["year_heatmap"] == 1


@pytest.mark.parametrize("store", ["process"])
def test_the_process_cache_stays_within_its_size(database, mailbox, session, log_in):
    with joined_app(database, PICTURE_CACHE_BYTES=400_000) as small:
        cache = small.extensions[picture_cache.EXTENSION]
        assert cache.local.max_bytes == 400_000
        db_session = small.extensions["kindness.db"].sessionmaker()
        for number in range(8):
            person = make_user(db_session, display_name=f"Person {number}")
            make_act(db_session, person, TODAY - timedelta(days=number))
            assert text(log_in(person, small.test_client()).get("/"))
            assert cache.local.size <= 400_000
        assert 1 <= len(cache.local) < 8  # the oldest went first
        db_session.close()
