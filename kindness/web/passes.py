"""Pass-it-on links: the author's card, and /p/<code> where the recipient claims it."""

from dataclasses import dataclass

import segno
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from kindness.domain import acts, passes
from kindness.domain.errors import NotFound
from kindness.extensions import limiter
from kindness.render import palette
from kindness.sessions import get_session
from kindness.web.boundary import flash_errors
from kindness.web.converters import MAX_ID
from kindness.web.forms.passes import ClaimForm, PassForm
from kindness.web.urls import absolute_url_for

bp = Blueprint("passes", __name__)


def _claim_limit() -> str:
    return current_app.config["CLAIM_LIMIT"]


def qr_svg(url: str) -> Markup:
    """The link as a QR code, in SVG (no script, no inline style)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(
        scale=5, dark=palette.INK_DARK, light=palette.PAPER, border=2, omitsize=True
    )
    return Markup(svg)  # noqa: S704  (segno's own markup; the URL is ours)


def _claim_url(code: str) -> str:
    return absolute_url_for("passes.landing", code=code)


@bp.post("/acts/<id:act_id>/pass")
@login_required
def create(act_id: int):
    """Make the act's pass-it-on link (or update the open one) and show the card."""
    db_session = get_session()
    act = acts.get_own(db_session, current_user, act_id)
    form = PassForm()
    # The one-step buttons in lists keep an open card as it is; the act page chooses.
    show_text = None if form.keep.data else form.show_text.data
    with flash_errors():
        passes.create(db_session, act, show_text=show_text)
        return redirect(url_for(".card", act_id=act_id))
    return redirect(url_for("acts.detail", act_id=act_id))


@bp.get("/acts/<id:act_id>/card")
@login_required
def card(act_id: int):
    """Show the act's card to its author: printable and shareable while open, else
    what became of it (claimed, or withdrawn)."""
    db_session = get_session()
    act = acts.get_own(db_session, current_user, act_id)
    shown = passes.author_card(db_session, act)
    if shown is None:
        raise NotFound()
    url = qr = None
    if shown.state == "open":
        url = _claim_url(shown.link.code)
        qr = qr_svg(url)
    return render_template(
        "passes/card.html",
        act=act,
        link=shown.link,
        state=shown.state,
        claimed_by=shown.claimed_by,
        can_pass_on=passes.can_pass_on(act),
        url=url,
        qr=qr,
        pass_form=PassForm(formdata=None, show_text=shown.link.show_text),
    )


@dataclass(frozen=True)
class SheetCard:
    """One card on a printable sheet."""

    act_id: int
    what: str | None  # only when the card shows it
    contact_name: str | None  # for the author, who hands the cards out
    url: str
    qr: Markup


def _sheet_ids() -> list[int]:
    """The act ids of ``?ids=1,2,3``: at most one batch of them, else 404."""
    raw = request.args.get("ids", "")
    parts = raw.split(",") if raw else []
    if not parts or len(parts) > acts.SEVERAL_MAX:
        raise NotFound()
    ids = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= MAX_ID:
            raise NotFound()
        ids.append(int(part))
    return ids


@bp.get("/acts/sheet")
@login_required
def sheet():
    """A printable sheet of the open cards of some of one's own acts (as logged
    for several people at once); anyone else's act in the list is a 404."""
    rows = passes.open_cards(get_session(), current_user, _sheet_ids())
    cards = []
    for act, link in rows:
        url = _claim_url(link.code)
        cards.append(
            SheetCard(
                act_id=act.id,
                what=act.what if link.show_text else None,
                contact_name=act.contact.name if act.contact else None,
                url=url,
                qr=qr_svg(url),
            )
        )
    return render_template("passes/sheet.html", cards=cards)


@bp.post("/acts/<id:act_id>/pass/revoke")
@login_required
def revoke(act_id: int):
    """Revoke the act's open link before anyone claims it."""
    db_session = get_session()
    act = acts.get_own(db_session, current_user, act_id)
    with flash_errors():
        passes.revoke(db_session, act)
        flash(_("The link is revoked; the card no longer works."), "info")
    return redirect(url_for("acts.detail", act_id=act_id))


@bp.get("/p/<code>")
@limiter.limit(_claim_limit)
def landing(code: str):
    """Show what the card says, and how to claim it."""
    link, act = passes.find_open(get_session(), code)
    own = current_user.is_authenticated and act.author_id == current_user.id
    return render_template(
        "passes/landing.html", link=link, act=act, code=code, own=own, form=ClaimForm()
    )


@bp.post("/p/<code>")
@limiter.limit(_claim_limit)
def claim(code: str):
    """Claim the card: become the recipient of the act."""
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=url_for(".landing", code=code)))
    form = ClaimForm()
    with flash_errors():
        act = passes.claim(get_session(), code, current_user, named=form.named.data)
        flash(_("It is yours now. When the moment comes, pass it on."), "success")
        return redirect(url_for("acts.received", _anchor=f"act-{act.ref}"))
    return redirect(url_for(".landing", code=code))
