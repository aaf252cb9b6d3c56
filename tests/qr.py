"""Reading a QR code back, as a phone's camera would: the SVG drawn to a PNG by
resvg (as the app draws its own PNGs) on white paper, its pixels handed to
zxing-cpp."""

import re

import resvg_py
import zxingcpp

from tests import pngs


def _grey_on_white(image: pngs.Image) -> bytes:
    """One byte of lightness per pixel, transparent parts as white paper."""
    out = bytearray()
    step = image.channels
    for row in image.rows:
        for start in range(0, len(row), step):
            r, g, b = row[start], row[start + 1], row[start + 2]
            alpha = row[start + 3] if step == 4 else 255
            grey = (r + g + b) // 3
            out.append((grey * alpha + 255 * (255 - alpha)) // 255)
    return bytes(out)


def native_size(svg: str) -> int:
    """The SVG's own width in pixels (its width, else its view box's)."""
    found = re.search(r'<svg[^>]*?\swidth="(\d+)"', svg) or re.search(
        r'<svg[^>]*?viewBox="0 0 (\d+) \d+"', svg
    )
    assert found, "an SVG without a size"
    return int(found.group(1))


def _read_at(svg: str, times: int) -> list[str]:
    size = native_size(svg) * times
    png = bytes(resvg_py.svg_to_bytes(svg_string=svg, width=size, height=size))
    image = pngs.decode(png)
    # The view borrows the pixels without holding them: keep them alive here, or
    # the decoder may read memory already handed to something else.
    pixels = _grey_on_white(image)
    view = zxingcpp.ImageView(pixels, image.width, image.height, zxingcpp.ImageFormat.Lum)
    found = zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode)
    texts = [code.text for code in found]
    del view, pixels
    return texts


def read_qr(svg: str, times: int = 3) -> list[str]:
    """The texts of the QR codes in ``svg``, drawn ``times`` its own size: whole
    pixels per module, as a camera held square to the code sees it."""
    return _read_at(svg, times)
