"""gzip for the answers that gain from it and cannot leak a secret by their size.

Only two kinds of answers are compressed: static files (the same bytes for
everyone) and the chains' downloads (``.json``, ``.graphml``, ``.svg``), which
carry no CSRF token, no session secret and nothing the request reflects, so
an attacker who makes a browser ask for them again and again learns nothing
from their sizes (BREACH needs a secret next to text the attacker chooses).
HTML pages are never compressed here: they carry CSRF tokens, and some show a
person's private text next to what the URL or a form echoes back.

Streamed downloads are compressed as they are written (zlib, level
``STREAM_LEVEL``: fast, and about as small as the slower levels for this
repetitive text); static files once per version of the file, kept in memory.
"""

import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator

from flask import Flask, Response, request

STREAM_LEVEL = 1
STATIC_LEVEL = 9
# Static files worth compressing (images other than SVG, and fonts, are compressed already).
COMPRESSIBLE = frozenset(
    {
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
        "text/plain",
    }
)
# Static files are few and small: their compressed forms, newest versions last.
STATIC_CACHE_SIZE = 256
_static_cache: OrderedDict[tuple[str, str], bytes] = OrderedDict()


def accepts_gzip() -> bool:
    return request.accept_encodings.quality("gzip") > 0


def gzip_chunks(chunks: Iterable[bytes], level: int = STREAM_LEVEL) -> Iterator[bytes]:
    """The gzip stream of ``chunks``, written as they come."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for chunk in chunks:
        if compressed := compressor.compress(chunk):
            yield compressed
    yield compressor.flush()


def streamed(chunks: Iterable[bytes], mimetype: str) -> Response:
    """A response written while ``chunks`` are made, gzipped if the browser
    accepts it. The chunks are made after the request has ended: they may not
    use its context or its database session."""
    body: Iterable[bytes] = chunks
    gzipped = accepts_gzip()
    if gzipped:
        body = gzip_chunks(chunks)
    response = Response(body, mimetype=mimetype)
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def compress_static(response: Response) -> Response:
    """gzip a static file for a browser that accepts it; its ETag turns weak, as
    the bytes differ from the file's (a weak ETag still answers 304)."""
    if request.endpoint != "static" or response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if not accepts_gzip() or "Content-Encoding" in response.headers:
        return response
    etag, _weak = response.get_etag()
    if etag:
        response.set_etag(etag, weak=True)
    if response.status_code != 200:
        return response  # a 304, or part of a file (a Range)
    key = (request.path, etag or "")
    compressed = _static_cache.get(key)
    response.direct_passthrough = False
    if compressed is None:
        compressed = gzip_bytes(response.get_data(), STATIC_LEVEL)
        _static_cache[key] = compressed
        while len(_static_cache) > STATIC_CACHE_SIZE:
            _static_cache.popitem(last=False)
    response.close()  # the file it would have sent
    response.set_data(compressed)
    response.headers["Content-Encoding"] = "gzip"
    response.headers.pop("Accept-Ranges", None)  # ranges would be of the file
    return response


def gzip_bytes(data: bytes, level: int) -> bytes:
    # mtime 0: the same file gives the same bytes.
    compressor = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def init_app(app: Flask) -> None:
    app.after_request(compress_static)
