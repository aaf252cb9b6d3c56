"""One palette: every renderer takes its colours from ``kindness.render.palette``."""

import re
from datetime import date
from pathlib import Path

from kindness.render import palette
from kindness.render.chain_thumb import chain_thumb_svg
from kindness.render.heatmap import heatmap_svg
from kindness.render.share_card import share_card_svg
from kindness.render.week_strip import ACCENT, TODAY, StripDay, week_strip_svg
from tests.render.helpers import WEEKDAYS

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
THURSDAY = date(2026, 11, 26)


def test_every_renderer_takes_its_colours_from_the_one_palette():
    named = {name: value for name, value in vars(palette).items() if name.isupper()}
    assert all(re.fullmatch(r"#[0-9a-f]{6}", value) for value in named.values())
    assert len(set(named.values())) == len(named), "one name per colour"
    for module in Path(palette.__file__).parent.glob("*.py"):
        if module.name != "palette.py":
            assert not re.findall(r"#[0-9A-Fa-f]{3,8}\b", module.read_text()), module.name
    today = StripDay(day=THURSDAY, label="Thu", acts=1, is_today=True, is_future=False)
    pictures = [
        week_strip_svg([today], title="t", summary="s"),
        heatmap_svg(
            {THURSDAY: 5},
            end=THURSDAY,
            weeks=2,
            title="t",
            description="d",
            month_labels=MONTHS,
            weekday_labels=WEEKDAYS,
            legend_less="l",
            legend_more="m",
            cell_title=lambda day, count: "c",
        ),
        chain_thumb_svg([None, 0], [True, False], title="t", description="d", id_prefix="x"),
        share_card_svg(headline="h", figures="f", brand="b"),
    ]
    used = {colour for svg in pictures for colour in re.findall(r"#[0-9a-f]{6}", str(svg))}
    assert used and used <= set(named.values())
    assert ACCENT == palette.ACCENT and TODAY == palette.WARM
