"""Derived pictures (the heatmap, a week strip, a chain's picture and outline, the
team chart) made once and kept, so a page drawn again from the same data costs a
look-up instead of a drawing.

A picture is found by a key made of its kind and a fingerprint of everything it
is drawn from: the data it shows, exactly as the page read it for this viewer
(so already masked: the data's every change, a claim, a hidden act, a new name,
changes the key, and no version can lag behind), the viewer's masking class, the
language, the time zone, the site's path prefix and a digest of the drawing
code and the catalogues (a release never reads an older release's pictures). A
picture is therefore never stale and never another viewer's, by construction.

With ``REDIS_URL`` the pictures live in Redis, shared by every worker, each for
``PICTURE_CACHE_SECONDS`` at most (a safety net: no key can outlive its data).
Redis that does not answer costs no error: the picture is kept in this process
instead, the outage is logged once, and Redis is asked again after
``RETRY_SECONDS``. Without Redis they live in this process, in a cache bounded by
``PICTURE_CACHE_BYTES`` that drops the least recently used first.

What comes back from Redis is signed with the app's secret key, so whoever can
write to Redis still cannot put HTML into a page.
"""

import dataclasses
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

import redis
from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

EXTENSION = "kindness.picture_cache"
PREFIX = "kindness:picture"
# After Redis failed to answer, this many seconds pass before it is asked again.
RETRY_SECONDS = 30.0
# Not one request may wait long on a Redis that takes the connection but never
# answers: as the rate limiter's storage (config.py), give up soon.
SOCKET_SECONDS = 0.5
MAC_BYTES = 16

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent


class LocalCache:
    """A least-recently-used cache of strings bounded by their total size in bytes
    (what a worker's memory feels, unlike a count of entries of 2 KB to 500 KB),
    each kept ``seconds`` at most; safe across the threads of one worker.

    Written here rather than taken from a library: 40 lines on an ``OrderedDict``,
    with the byte bound and the expiry together, and no dependency to keep."""

    def __init__(self, max_bytes: int, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.max_bytes = max_bytes
        self.seconds = seconds
        self.clock = clock
        self.size = 0
        self._entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @staticmethod
    def _cost(key: str, value: str) -> int:
        # Characters, not encoded bytes: near enough for SVG, and free to count.
        return len(key) + len(value)

    def get(self, key: str) -> str | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, value = entry
            if expires <= self.clock():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: str, value: str) -> None:
        cost = self._cost(key, value)
        if cost > self.max_bytes // 4:
            return  # one huge picture must not push out every other
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (self.clock() + self.seconds, value)
            self.size += cost
            while self.size > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        _expires, value = self._entries.pop(key)
        self.size -= self._cost(key, value)


class PictureCache:
    """Pictures by key: in Redis when there is one that answers, else in this process."""

    def __init__(
        self,
        local: LocalCache,
        redis_client: redis.Redis | None,
        secret: bytes,
        code_version: str,
        seconds: int,
    ):
        self.local = local
        self.redis = redis_client
        self.secret = hashlib.blake2b(secret, digest_size=32).digest()
        self.code_version = code_version
        self.seconds = seconds
        self._redis_back_at = 0.0  # while Redis is down: when to ask it again

    def key(self, kind: str, parts: object) -> str:
        fingerprint = hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
        return f"{PREFIX}:{self.code_version}:{kind}:{fingerprint}"

    def get_or_make(self, kind: str, parts: object, make: Callable[[], Markup]) -> Markup:
        key = self.key(kind, parts)
        found = self._get(key)
        if found is not None:
            return Markup(found)  # noqa: S704  (made by ``make`` as Markup, and signed)
        picture = make()
        if not isinstance(picture, Markup):
            raise TypeError(f"a {kind} picture must be Markup, not {type(picture).__name__}")
        self._put(key, str(picture))
        return picture

    # -- the two stores ----------------------------------------------------------

    def _use_redis(self) -> redis.Redis | None:
        if self.redis is None or time.monotonic() < self._redis_back_at:
            return None
        return self.redis

    def _redis_failed(self, error: redis.RedisError) -> None:
        if not self._redis_back_at:
            log.warning(
                "Redis does not answer (%s): pictures are kept in this process meanwhile", error
            )
        self._redis_back_at = time.monotonic() + RETRY_SECONDS

    def _redis_answered(self) -> None:
        if self._redis_back_at:
            log.info("Redis answers again: pictures are kept there again")
            self._redis_back_at = 0.0

    def _get(self, key: str) -> str | None:
        client = self._use_redis()
        if client is None:
            return self.local.get(key)
        try:
            stored = client.get(key)
        except redis.RedisError as error:
            self._redis_failed(error)
            return self.local.get(key)
        self._redis_answered()
        if not isinstance(stored, bytes) or len(stored) < MAC_BYTES:
            return None
        mac, body = stored[:MAC_BYTES], stored[MAC_BYTES:]
        if mac != self._mac(key, body):
            return None  # not written by this site: drawn again, and written over
        return body.decode()

    def _put(self, key: str, value: str) -> None:
        client = self._use_redis()
        if client is None:
            self.local.put(key, value)
            return
        body = value.encode()
        try:
            client.set(key, self._mac(key, body) + body, ex=self.seconds)
        except redis.RedisError as error:
            self._redis_failed(error)
            self.local.put(key, value)
            return
        self._redis_answered()

    def _mac(self, key: str, body: bytes) -> bytes:
        signer = hashlib.blake2b(key=self.secret, digest_size=MAC_BYTES)
        signer.update(key.encode())
        signer.update(b"\0")
        signer.update(body)
        return signer.digest()


def code_version(files: Iterable[Path]) -> str:
    """A digest of the code that draws and the words it draws with."""
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(files):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def drawing_files() -> list[Path]:
    return [
        *PACKAGE.glob("render/*.py"),
        *PACKAGE.glob("web/*pictures.py"),
        *PACKAGE.glob("web/labels.py"),
        Path(__file__).resolve(),
        *PACKAGE.glob("translations/*/LC_MESSAGES/messages.po"),
    ]


def init_app(app: Flask) -> None:
    """Made once at start: the store, its Redis client (which connects on first use)
    and the code's digest."""
    url = app.config.get("REDIS_URL")
    client = None
    if url:
        client = redis.Redis.from_url(
            url, socket_timeout=SOCKET_SECONDS, socket_connect_timeout=SOCKET_SECONDS
        )
    seconds = int(app.config["PICTURE_CACHE_SECONDS"])
    app.extensions[EXTENSION] = PictureCache(
        LocalCache(int(app.config["PICTURE_CACHE_BYTES"]), seconds),
        client,
        secret=str(app.config["SECRET_KEY"]).encode(),
        code_version=code_version(drawing_files()),
        seconds=seconds,
    )


# Values that stand for themselves in a key (their repr tells them apart).
ATOMS = frozenset({type(None), str, int, float, bool, date, datetime})


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(value: object) -> tuple[str, ...]:
    kind = type(value)
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(field.name for field in dataclasses.fields(value))  # type: ignore[arg-type]
    return names


def plain(value: object) -> object:
    """``value`` as plain data whose ``repr`` tells apart whatever differs: the
    fields of dataclasses, the columns of a table's row, sets and dicts sorted.
    Anything else keeps its own ``repr`` (at worst an object's address: never a
    wrong hit, only a miss)."""
    kind = type(value)
    if kind in ATOMS:
        return value
    if isinstance(value, list | tuple):
        return tuple([plain(item) for item in value])
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        values = [getattr(value, name) for name in _field_names(value)]
        if not all(type(item) in ATOMS for item in values):
            values = [plain(item) for item in values]
        return (kind.__name__, tuple(values))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted((plain(item) for item in value), key=repr)))
    if isinstance(value, dict):
        items = [(plain(k), plain(v)) for k, v in value.items()]
        try:
            return ("dict", tuple(sorted(items)))
        except TypeError:  # keys of kinds that do not compare
            return ("dict", tuple(sorted(items, key=repr)))
    mapper = getattr(value, "__mapper__", None)
    if mapper is not None:  # a row of a table: its columns (loaded with it: no query)
        return (kind.__name__, tuple(plain(getattr(value, c.key)) for c in mapper.column_attrs))
    return value


def get_or_make(kind: str, parts: object, make: Callable[[], Markup]) -> Markup:
    """The picture of ``kind`` drawn from ``parts`` (everything it depends on but the
    language, the time zone and the site's path prefix, which are added here) by
    ``make``, from the cache when it was drawn before."""
    cache: PictureCache = current_app.extensions[EXTENSION]
    common = (
        str(get_locale()),
        str(get_timezone()),
        request.script_root if has_request_context() else "",
    )
    return cache.get_or_make(kind, (common, parts), make)
