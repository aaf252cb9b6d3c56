"""A small PNG reader for tests: the signature, the IHDR size and the pixels of
8-bit RGB or RGBA images (what resvg writes), with zlib and the five PNG row
filters. Enough to check that a picture is real and that text was drawn,
without an imaging library."""

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {2: 3, 6: 4}  # colour type: bytes per pixel at bit depth 8


@dataclass
class Image:
    width: int
    height: int
    channels: int
    rows: list[bytes]  # unfiltered, ``width * channels`` bytes each

    def pixel(self, x: int, y: int) -> tuple[int, ...]:
        start = x * self.channels
        return tuple(self.rows[y][start : start + self.channels])


def size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which must come first."""
    assert png[:8] == SIGNATURE, "not a PNG"
    length, kind = struct.unpack(">I4s", png[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _chunks(png: bytes):
    offset = 8
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset : offset + 8])
        data = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + data) == crc, f"bad CRC in {kind!r}"
        yield kind, data
        offset += 12 + length


def decode(png: bytes, rows: int | None = None) -> Image:
    """The image's pixels, of its first ``rows`` rows (all by default)."""
    width, height = size(png)
    header = next(data for kind, data in _chunks(png) if kind == b"IHDR")
    depth, colour, _compression, _filter, interlace = struct.unpack(">BBBBB", header[8:13])
    assert depth == 8 and colour in CHANNELS and interlace == 0, (depth, colour, interlace)
    channels = CHANNELS[colour]
    raw = zlib.decompress(b"".join(data for kind, data in _chunks(png) if kind == b"IDAT"))
    stride = width * channels
    assert len(raw) == height * (stride + 1)
    previous = bytes(stride)
    out = []
    for y in range(height if rows is None else min(rows, height)):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        _unfilter(kind, line, previous, channels)
        previous = bytes(line)
        out.append(previous)
    return Image(width, height, channels, out)


def _unfilter(kind: int, line: bytearray, previous: bytes, bpp: int) -> None:
    if kind == 0:
        return
    if kind == 2:  # Up
        for i in range(len(line)):
            line[i] = (line[i] + previous[i]) & 0xFF
        return
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        if kind == 1:  # Sub
            line[i] = (line[i] + left) & 0xFF
        elif kind == 3:  # Average
            line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:  # Paeth
            up = previous[i]
            up_left = previous[i - bpp] if i >= bpp else 0
            estimate = left + up - up_left
            to_left, to_up, to_up_left = (
                abs(estimate - left),
                abs(estimate - up),
                abs(estimate - up_left),
            )
            if to_left <= to_up and to_left <= to_up_left:
                predictor = left
            elif to_up <= to_up_left:
                predictor = up
            else:
                predictor = up_left
            line[i] = (line[i] + predictor) & 0xFF
        else:
            raise AssertionError(f"unknown PNG filter {kind}")


def dark_pixels(image: Image, top: int, bottom: int, left: int, right: int, below: int = 128):
    """How many pixels of the box are dark (each colour channel under ``below``)."""
    return sum(
        1
        for y in range(top, bottom)
        for x in range(left, right)
        if all(value < below for value in image.pixel(x, y)[:3])
    )
