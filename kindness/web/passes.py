"""Pass-it-on links: the author's card, and /p/<code> where the recipient claims it."""

from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from kindness.domain import acts, moderation, passes, thanks
from kindness.domain.errors import NotFound
from kindness.extensions import limiter
from kindness.sessions import get_session
from kindness.urls import absolute_url_for
from kindness.web import card_pictures, pending_claim
from kindness.web.boundary import flash_errors, form_errors, form_status
from kindness.web.converters import parse_id
from kindness.web.forms.explore import ReportForm
from kindness.web.forms.passes import ClaimForm, NamedForm, PassForm, ThanksForm
from kindness.web.navigation import next_or
from kindness.web.qr import qr_svg

bp = Blueprint("passes", __name__)


def _claim_limit() -> str:
    return current_app.config["CLAIM_LIMIT"]


def _report_limit() -> str:
    return current_app.config["REPORT_LIMIT"]


def _no_store(page: str) -> Response:
    """A page that shows a claim code: for its author's eyes, kept by no cache."""
    response = make_response(page)
    response.headers["Cache-Control"] = "private, no-store"
    return response


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
    return _no_store(
        render_template(
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
    ids = [parse_id(part) for part in parts]
    if None in ids:
        raise NotFound()
    return [act_id for act_id in ids if act_id is not None]


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
    return _no_store(render_template("passes/sheet.html", cards=cards))


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


def _card_page(code: str, refused: bool = False):
    """The card as this viewer sees it: what to do while it is open, what became
    of it afterwards. A withdrawn card answers 410; a claim refused 409."""
    found = passes.card(get_session(), code)
    viewer_id = current_user.id if current_user.is_authenticated else None
    if viewer_id is not None and viewer_id == found.claimed_by_id:
        role = "claimer"
    elif viewer_id is not None and viewer_id == found.author_id:
        role = "author"
    else:
        role = "other"
    status = 410 if found.state == "withdrawn" else 409 if refused else 200
    page = render_template(
        "passes/landing.html",
        card=found,
        act=found.act,
        code=code,
        role=role,
        refusal=passes.REFUSALS.get(found.state),
        chain_shown=viewer_id is not None or found.public_chain,
        thanks=thanks.written(get_session(), current_user, found.act.id)
        if role == "claimer"
        else None,
        form=ClaimForm(formdata=None),
        named_form=NamedForm(formdata=None, named=found.act.recipient_named),
        thanks_form=ThanksForm(formdata=None, next=url_for(".landing", code=code)),
    )
    return page, status


@bp.get("/p/<code>")
@limiter.limit(_claim_limit)
def landing(code: str):
    """Show what the card says and how to claim it, or what became of it."""
    return _card_page(code)


@bp.post("/p/<code>")
@limiter.limit(_claim_limit)
def claim(code: str):
    """Claim the card: become the recipient of the act. A visitor who is not signed
    in goes through sign-up or log-in first, and comes back with the claim done."""
    form = ClaimForm()
    if not current_user.is_authenticated:
        passes.card(get_session(), code)  # an unknown code is a 404 here too
        pending_claim.remember(code, form.named.data)
        then = "accounts.login" if request.form.get("then") == "login" else "accounts.signup"
        return redirect(url_for(then, next=url_for(".landing", code=code)))
    with flash_errors():
        passes.claim(get_session(), code, current_user, named=form.named.data)
        flash(_("It is yours now. When the moment comes, pass it on."), "success")
        return redirect(url_for(".landing", code=code))
    # Refused (claimed a moment ago by someone else, withdrawn, hidden, one's own):
    # the card's page, with the reason above it.
    return _card_page(code, refused=True)


def _back(target: str | None, act_ref: str) -> str:
    return next_or(target or url_for("acts.received", _anchor=f"act-{act_ref}"), "acts.received")


@bp.post("/acts/received/<ref>/named")
@login_required
def set_named(ref: str):
    """Change whether one's display name shows in the chain of a received act."""
    form = NamedForm()
    with flash_errors():
        passes.set_named(get_session(), current_user, ref, form.named.data)
        if form.named.data:
            flash(_("Your display name now shows in the chain."), "success")
        else:
            flash(_("You now appear in the chain as “someone”."), "success")
    return redirect(_back(request.form.get("next"), ref))


@bp.post("/acts/received/<ref>/thanks")
@login_required
@limiter.limit(_claim_limit)
def write_thanks(ref: str):
    """Leave a short thank-you note for the giver."""
    form = ThanksForm()
    if form.validate():
        with flash_errors():
            thanks.write(get_session(), current_user, ref, form.text.data)
            flash(_("Your thank-you is on its way. Only the giver reads it."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(_back(form.next.data, ref))


@bp.post("/thanks/<id:thanks_id>/delete")
@login_required
def delete_thanks(thanks_id: int):
    """Delete one's own thank-you note."""
    with flash_errors():
        thanks.delete(get_session(), current_user, thanks_id)
        flash(_("Your thank-you note is deleted."), "info")
    return redirect(next_or(request.form.get("next"), "acts.received"))


@bp.get("/thanks/<id:thanks_id>/report")
@login_required
def report_thanks(thanks_id: int):
    """Ask why a thank-you note one received should be looked at."""
    note = thanks.for_giver(get_session(), current_user, thanks_id)
    form = ReportForm(formdata=None)
    return render_template("passes/report_thanks.html", form=form, note=note)


@bp.post("/thanks/<id:thanks_id>/report")
@login_required
@limiter.limit(_report_limit)
def report_thanks_post(thanks_id: int):
    """Send a report of a thank-you note to the moderators."""
    db_session = get_session()
    note = thanks.for_giver(db_session, current_user, thanks_id)
    form = ReportForm()
    if form.validate():
        with form_errors(form):
            moderation.report_thanks(
                db_session, current_user, thanks_id, form.reason.data, form.text.data
            )
            flash(_("Thank you. The moderators will look at it."), "success")
            return redirect(url_for("inbox.index"))
    return render_template("passes/report_thanks.html", form=form, note=note), form_status(form)
