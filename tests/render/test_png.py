"""SVG to PNG with the shipped font, and the pass card's picture: no app, no database."""

import re

import pytest
import segno

from kindness.render import pass_card
from kindness.render.fonts import FONT_DIR, FONT_FAMILY, FONT_FILES
from kindness.render.pass_card import pass_card_svg
from kindness.render.png import svg_to_png
from kindness.render.share_card import share_card_svg
from tests import pngs

CARD = str(share_card_svg(headline="This kindness travelled", figures="through 3 people",
                          brand="Kindness"))  # fmt: skip


def test_the_font_is_shipped_with_its_licence():
    for path in FONT_FILES:
        assert path.stat().st_size > 100_000 and path.read_bytes()[:4] == b"\x00\x01\x00\x00"
    licence = (FONT_DIR / "LICENSE").read_text()
    assert "Bitstream" in licence and "Permission is hereby granted" in licence
    # The card names the shipped family first, so browsers and resvg agree.
    assert f'font-family="{FONT_FAMILY}, sans-serif"' in CARD


def test_share_card_becomes_a_png_with_its_text_drawn():
    png = svg_to_png(CARD, 1200, 630)
    assert png.startswith(pngs.SIGNATURE) and pngs.size(png) == (1200, 630)
    image = pngs.decode(png, rows=360)
    assert pngs.dark_pixels(image, 280, 345, 100, 700) > 2000


def test_without_the_font_no_text_is_drawn():
    # What the web tests' text check guards against: a renderer without a font
    # draws the card and silently leaves its words out.
    png = svg_to_png(CARD, 1200, 630, font_files=())
    assert pngs.size(png) == (1200, 630)
    assert pngs.dark_pixels(pngs.decode(png, rows=360), 280, 345, 100, 700) == 0


def test_png_scales_to_the_size_asked():
    assert pngs.size(svg_to_png(CARD, 600, 315)) == (600, 315)
    with pytest.raises(ValueError):
        svg_to_png(CARD, 0, 630)


def modules(url):
    return [[bool(m) for m in row] for row in segno.make(url, error="m").matrix_iter(border=0)]


def card(quote=None, url="https://kind.example/p/abcDEF123456789xyz"):
    return str(pass_card_svg(brand="Kindness", headline="Something kind came your way.",
                             invitation="No strings attached.", url=url,
                             qr_modules=modules(url), quote=quote))  # fmt: skip


def test_pass_card_shows_its_text_only_when_given_and_escaped():
    assert "Shovelled" not in card()
    quoted = card("Shovelled <the> snow & salted")
    assert "Shovelled &lt;the&gt; snow &amp; salted" in quoted and "<the>" not in quoted
    long = card("word " * 200)
    assert long.count("<tspan") < card().count("<tspan") + 6  # at most five quote lines
    assert "…" in long


def test_pass_card_draws_the_qr_code_and_link_inside_the_card():
    url = "https://kind.example/p/abcDEF123456789xyz"
    svg = card("x " * 300)
    squares = sum(sum(row) for row in modules(url))
    assert svg.count("h1v1h-1z") == squares
    assert url in svg
    top, size = (float(v) for v in re.search(
        r'<rect x="[\d.]+" y="([\d.]+)" width="([\d.]+)" height="[\d.]+" fill="#ffffff"/>'
        r"<path transform", svg).groups())  # fmt: skip
    assert size >= 280 and top + size < pass_card.HEIGHT - 80
    png = svg_to_png(svg, pass_card.WIDTH, pass_card.HEIGHT)
    assert pngs.size(png) == (1080, 1350)


def test_a_long_headline_wraps_inside_the_share_card():
    short = str(share_card_svg(headline="This kindness travelled", figures="f", brand="b"))
    long = str(share_card_svg(headline="Diese Freundlichkeit ist weitergereist", figures="f",
                              brand="b"))  # fmt: skip
    assert short.count("<tspan") == 2 and long.count("<tspan") == 3
    assert ">Diese Freundlichkeit ist</tspan>" in long
