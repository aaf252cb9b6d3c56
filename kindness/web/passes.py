"""Pass-it-on links: the author's card, and /p/<code> where the recipient claims it."""

import segno
from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from kindness.domain import acts, passes
from kindness.domain.errors import NotFound
from kindness.extensions import limiter
from kindness.sessions import get_session
from kindness.web import card_pictures
from kindness.web.boundary import flash_errors
from kindness.web.forms.passes import ClaimForm, PassForm
from kindness.web.urls import absolute_url_for

bp = Blueprint("passes", __name__)


def _claim_limit() -> str:
    return current_app.config["CLAIM_LIMIT"]


def qr_svg(url: str) -> Markup:
    """The link as a QR code, in SVG (no script, no inline style)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=5, dark="#1f2a2e", light="#ffffff", border=2, omitsize=True)
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
    with flash_errors():
        passes.create(db_session, act, show_text=form.show_text.data)
        return redirect(url_for(".card", act_id=act_id))
    return redirect(url_for("acts.detail", act_id=act_id))


@bp.get("/acts/<id:act_id>/card")
@login_required
def card(act_id: int):
    """Show the printable card of the act's open link."""
    db_session = get_session()
    act = acts.get_own(db_session, current_user, act_id)
    link = passes.open_pass(db_session, act.id)
    if link is None:
        raise NotFound()
    url = _claim_url(link.code)
    return render_template("passes/card.html", act=act, link=link, url=url, qr=qr_svg(url))


@bp.get("/acts/<id:act_id>/card.png")
@login_required
def card_png(act_id: int):
    """The printable card as a PNG to download and send in a chat; it carries the
    claim code, so it is its author's alone and no cache keeps it."""
    db_session = get_session()
    act = acts.get_own(db_session, current_user, act_id)
    link = passes.open_pass(db_session, act.id)
    if link is None:
        raise NotFound()
    # A card shows no text of an act a moderator hid, wherever it is shown.
    shown = link.show_text and act.hidden_at is None
    png = card_pictures.pass_card_png(_claim_url(link.code), act.what if shown else None)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = f'attachment; filename="kindness-card-{act.ref}.png"'
    return response


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
