"""Where a person's kindness went, with its words: the figures of what grew below
one of their acts, its small picture (``render/ripple.py``) and the link into
the chain opened at the act. Shared by the dashboard and an act's own page.

The domain hands over counts only, so nothing here can show the text or the
people of an act below; the act at the top is the viewer's own.
"""

from dataclasses import dataclass
from datetime import date

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from kindness.domain.chains.ripples import Travelled
from kindness.render.ripple import ripple_svg


@dataclass(frozen=True)
class Ripple:
    """One act's ripples, ready for a template."""

    act_id: int
    what: str | None
    performed_on: date
    reached: str
    grew: str
    picture: Markup
    chain_url: str


def reached_words(travelled: Travelled) -> str:
    """The warm headline: how many people, how many generations on (at least, when
    the walk below stopped before the end: ``Travelled.at_least``)."""
    people = ngettext("%(num)d person", "%(num)d people", travelled.people)
    generations = ngettext("%(num)d generation", "%(num)d generations", travelled.generations)
    if travelled.at_least:
        return _(
            "Your kindness has reached at least %(people)s, at least %(generations)s deep.",
            people=people,
            generations=generations,
        )
    return _(
        "Your kindness has reached %(people)s, %(generations)s deep.",
        people=people,
        generations=generations,
    )


def grew_words(travelled: Travelled) -> str:
    if travelled.at_least:
        return ngettext(
            "At least %(num)d act of kindness grew from it.",
            "At least %(num)d acts of kindness grew from it.",
            travelled.acts_below,
        )
    return ngettext(
        "%(num)d act of kindness grew from it.",
        "%(num)d acts of kindness grew from it.",
        travelled.acts_below,
    )


def ripple(travelled: Travelled) -> Ripple:
    counts = ", ".join(str(count) for count in travelled.per_generation)
    picture = ripple_svg(
        travelled.per_generation,
        title=_("Where your kindness went"),
        description=_(
            "Your act at the top; below it the acts that grew from it, generation by"
            " generation: %(counts)s.",
            counts=counts,
        ),
        id_prefix=f"ripple-{travelled.act_id}",
    )
    return Ripple(
        act_id=travelled.act_id,
        what=travelled.what,
        performed_on=travelled.performed_on,
        reached=reached_words(travelled),
        grew=grew_words(travelled),
        picture=picture,
        chain_url=url_for("chains.page", ref=travelled.ref, open=travelled.ref),
    )
