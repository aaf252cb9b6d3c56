"""The cards as PNG, with their words in the viewer's language: the chain's
link-preview card (public, cached) and the pass-it-on card (its author's only,
never cached), drawn as SVG by ``kindness.render`` and turned into PNG there.

A burst of link unfurls (a chain shared in a busy group: every app's preview
bot asks at once) must not render the same card again and again, so the
chain card's PNG is kept in an in-process LRU keyed on the chain, its figures
and the language; each worker process holds its own copy, and HTTP caching
(``Cache-Control``, an ETag) spares most requests from reaching it at all.
"""

import hashlib
from functools import lru_cache

import segno
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from kindness.models import ChainStats
from kindness.render import pass_card, share_card
from kindness.render.pass_card import pass_card_svg
from kindness.render.png import svg_to_png
from kindness.render.share_card import share_card_svg

# Chain cards kept per process: at about 25 KB each, 256 hold about 6 MB.
CACHE_SIZE = 256


def card_words(stats: ChainStats) -> tuple[str, str]:
    """The chain card's headline and figures, in the viewer's language."""
    headline = _("This kindness travelled")
    figures = _(
        "through %(people)s in %(generations)s",
        people=ngettext("%(num)d person", "%(num)d people", stats.reach),
        generations=ngettext("%(num)d generation", "%(num)d generations", stats.generations),
    )
    return headline, figures


def chain_card_svg(stats: ChainStats) -> str:
    headline, figures = card_words(stats)
    return str(share_card_svg(headline=headline, figures=figures, brand=_("Kindness")))


def chain_card_key(stats: ChainStats) -> tuple:
    """What the chain card depends on: the chain, its last change and the language.

    Every change to a chain that the card could show moves one of these: a new
    act (acts, grown_at), a claim (reach), a removal or an edit (the figures are
    recomputed), a moderator hiding or restoring an act, a suspension
    (public_acts).
    """
    version = (
        stats.acts,
        stats.reach,
        stats.generations,
        stats.public_acts,
        stats.grown_at.isoformat() if stats.grown_at else None,
    )
    return (stats.root_id, version, str(get_locale() or "en"))


def etag(key: tuple) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32]


def chain_card_png(stats: ChainStats) -> bytes:
    """The chain card as a 1200×630 PNG, rendered once per ``chain_card_key``."""
    return _cached_chain_card(chain_card_key(stats), chain_card_svg(stats))


@lru_cache(maxsize=CACHE_SIZE)
def _cached_chain_card(key: tuple, svg: str) -> bytes:
    # ``svg`` follows from ``key`` (it is drawn from the figures and the language
    # in it), so it rides along without splitting entries; building it costs
    # microseconds, the PNG milliseconds.
    return svg_to_png(svg, share_card.WIDTH, share_card.HEIGHT)


def clear_cache() -> None:
    _cached_chain_card.cache_clear()


def cache_info():
    return _cached_chain_card.cache_info()


def pass_card_png(url: str, quote: str | None) -> bytes:
    """The pass-it-on card as a 1080×1350 PNG: the invitation, the act's text when
    the author shows it, the QR code of ``url`` and ``url`` itself. Not cached:
    it carries a claim code and is asked for once in a while by one person."""
    modules = [
        [bool(module) for module in row] for row in segno.make(url, error="m").matrix_iter(border=0)
    ]
    svg = pass_card_svg(
        brand=_("Kindness"),
        headline=_("Something kind came your way."),
        invitation=_(
            "No strings attached. If you like, open the link, claim this card, and one day "
            "pass the kindness on to someone else. There is no hurry and no obligation."
        ),
        url=url,
        qr_modules=modules,
        quote=quote,
    )
    return svg_to_png(str(svg), pass_card.WIDTH, pass_card.HEIGHT)
