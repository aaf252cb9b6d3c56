"""The picture cache without an app: the byte bound, least recently used out
first, expiry, and keys that tell apart whatever differs."""

from dataclasses import dataclass
from datetime import date

import pytest
from markupsafe import Markup

from kindness.picture_cache import LocalCache, PictureCache, plain


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_cache_never_holds_more_than_its_bytes_and_drops_the_least_recently_used():
    cache = LocalCache(max_bytes=1000, seconds=60)
    for number in range(10):
        cache.put(f"k{number}", "x" * 198)  # 200 a piece with the key
        assert cache.size <= 1000
    assert len(cache) == 5
    assert cache.get("k4") is None and cache.get("k5") == "x" * 198
    cache.get("k5")  # used: now the newest
    cache.put("k10", "y" * 197)
    assert cache.get("k5") is not None and cache.get("k6") is None
    assert cache.size == sum(len(k) + len(v) for k, (_e, v) in cache._entries.items())


def test_a_picture_bigger_than_a_quarter_of_the_cache_is_not_kept():
    cache = LocalCache(max_bytes=1000, seconds=60)
    cache.put("small", "s")
    cache.put("huge", "h" * 300)
    assert cache.get("huge") is None and cache.get("small") == "s"


def test_entries_expire():
    clock = FakeClock()
    cache = LocalCache(max_bytes=1000, seconds=60, clock=clock)
    cache.put("k", "v")
    clock.now = 59.0
    assert cache.get("k") == "v"
    clock.now = 60.0
    assert cache.get("k") is None and cache.size == 0


def test_a_key_changes_with_every_part_and_only_markup_is_kept():
    cache = PictureCache(LocalCache(10_000, 60), None, b"secret", "v1", 60)
    parts = ("en", "user-1", date(2026, 11, 26), plain({date(2026, 11, 26): 1}))
    keys = {
        cache.key("heatmap", parts),
        cache.key("heatmap", ("de", *parts[1:])),
        cache.key("heatmap", (parts[0], "user-2", *parts[2:])),
        cache.key("heatmap", (*parts[:2], date(2026, 11, 27), parts[3])),
        cache.key("heatmap", (*parts[:3], plain({date(2026, 11, 26): 2}))),
        cache.key("strip", parts),
    }
    assert len(keys) == 6
    made = []
    for _ in range(2):
        picture = cache.get_or_make("heatmap", parts, lambda: made.append(1) or Markup("<svg/>"))
        assert picture == Markup("<svg/>") and isinstance(picture, Markup)
    assert made == [1]
    with pytest.raises(TypeError):
        cache.get_or_make("heatmap", "other", lambda: "<svg/>")  # type: ignore[arg-type,return-value]


@dataclass(frozen=True)
class Node:
    name: str
    marks: frozenset[str]


def test_plain_data_is_the_same_for_the_same_values_and_differs_otherwise():
    assert repr(plain(Node("a", frozenset({"x", "y"})))) == repr(
        plain(Node("a", frozenset({"y", "x"})))
    )
    assert repr(plain({"b": 1, "a": 2})) == repr(plain({"a": 2, "b": 1}))
    assert repr(plain([Node("a", frozenset())])) != repr(plain([Node("b", frozenset())]))
    assert repr(plain({1: "a"})) != repr(plain({1: "b"}))


def test_a_table_row_is_its_columns():
    from kindness.models import ChainStats

    assert plain(ChainStats(root_id=1, acts=2)) == plain(ChainStats(root_id=1, acts=2))
    assert plain(ChainStats(root_id=1, acts=2)) != plain(ChainStats(root_id=1, acts=3))
