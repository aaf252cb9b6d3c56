"""Logging, editing, deleting and browsing one's own acts."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from kindness.domain import acts, contacts, ideas, passes
from kindness.domain.acts import HistoryFilter
from kindness.domain.chains import ripples
from kindness.domain.dates import today_for
from kindness.domain.errors import InvalidInput, NotFound
from kindness.extensions import limiter
from kindness.sessions import get_session
from kindness.web.boundary import form_errors, form_status
from kindness.web.forms.acts import ActForm, HistoryForm, SeveralForm
from kindness.web.forms.passes import PassForm
from kindness.web.navigation import next_or
from kindness.web.ripple_pictures import ripple

bp = Blueprint("acts", __name__, url_prefix="/acts")


def _several_limit() -> str:
    return current_app.config["SEVERAL_LIMIT"]


def _per_person() -> str:
    # Logged in (login_required runs first), so the allowance is the person's own.
    return f"several:{current_user.get_id()}"


def _logged(response) -> bool:
    # Only what was logged uses up the allowance; a refused form does not.
    return response.status_code == 302


def _act_form(**kwargs) -> ActForm:
    return ActForm(contacts.choices(get_session(), current_user), **kwargs)


def _render_form(form: ActForm, act=None, parent=None):
    if parent is None and form.parent_ref.data and act is None:
        try:
            parent = acts.received_parent(get_session(), current_user, form.parent_ref.data)
        except InvalidInput:
            parent = None
    page = render_template(
        "acts/form.html",
        form=form,
        act=act,
        parent=parent,
        today=today_for(current_user).isoformat(),
    )
    return page, form_status(form)


@bp.get("/new")
@login_required
def new():
    """Show the full log form, pre-filled from an idea when one is chosen."""
    form = _act_form(formdata=None, next=request.args.get("next", ""))
    form.performed_on.data = today_for(current_user)
    parent = None
    parent_ref = request.args.get("parent")
    if parent_ref:
        try:
            parent = acts.received_parent(get_session(), current_user, parent_ref)
        except InvalidInput:
            raise NotFound() from None
        form.parent_ref.data = parent.ref
    idea_number = request.args.get("idea", type=int)
    if idea_number is not None:
        idea = ideas.by_number(idea_number)
        if idea is not None:
            form.what.data = idea.text(str(current_user.locale))
            form.category.data = idea.category
            form.idea.data = str(idea_number)
    return _render_form(form, parent=parent)


@bp.post("/new")
@login_required
def create():
    """Log an act (from the full form or the dashboard's quick form)."""
    form = _act_form()
    if form.validate():
        with form_errors(form):
            act = acts.log(
                get_session(),
                current_user,
                form.to_input(),
                today_for(current_user),
                idea_number=form.idea_number(),
            )
            flash(_("Logged. Thank you for your kindness."), "success")
            if passes.can_pass_on(act):
                # base.html turns this into a one-step "Pass it on" button under the message.
                flash(str(act.id), "pass-offer")
            return redirect(next_or(form.next.data, "acts.history") + f"#act-{act.id}")
    return _render_form(form)


def _render_several(form: SeveralForm):
    page = render_template(
        "acts/several.html", form=form, today=today_for(current_user).isoformat()
    )
    return page, form_status(form)


@bp.get("/several")
@login_required
def several():
    """Show the form that logs one act for several people at once."""
    form = SeveralForm(formdata=None)
    form.performed_on.data = today_for(current_user)
    return _render_several(form)


@bp.post("/several")
@login_required
@limiter.limit(_several_limit, key_func=_per_person, deduct_when=_logged)
def create_several():
    """Log one act per person, each with its card, and show the sheet of cards."""
    form = SeveralForm()
    if form.validate():
        with form_errors(form):
            made = acts.log_for_several(
                get_session(),
                current_user,
                form.to_input(),
                form.name_list(),
                form.unnamed.data or 0,
                today_for(current_user),
                show_text=form.show_text.data,
            )
            flash(
                ngettext(
                    "Logged for %(num)d person, with a card of their own.",
                    "Logged for %(num)d people, each with a card of their own.",
                    len(made),
                ),
                "success",
            )
            ids = ",".join(str(act.id) for act, _link in made)
            return redirect(url_for("passes.sheet", ids=ids))
    return _render_several(form)


@bp.get("")
@login_required
def history():
    """List the user's acts, newest first, filtered and paginated."""
    db_session = get_session()
    owner_choices = contacts.choices(db_session, current_user)
    form = HistoryForm(owner_choices, formdata=request.args)
    filters = HistoryFilter()
    page_number = 1
    if request.args and not form.validate():
        return render_template("acts/history.html", form=form, page=None), 400
    if request.args:
        filters = HistoryFilter(
            contact_id=form.contact.data,
            category=form.category.data or None,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
        )
        page_number = form.page.data or 1
    page = acts.history(db_session, current_user, filters, page_number)
    query = {
        key: request.args[key]
        for key in ("contact", "category", "date_from", "date_to")
        if request.args.get(key)
    }
    return render_template("acts/history.html", form=form, page=page, query=query)


@bp.get("/received")
@login_required
def received():
    """List the kindness the user received (claimed), to pass on."""
    return render_template("acts/received.html", acts=passes.received(get_session(), current_user))


@bp.get("/<id:act_id>")
@login_required
def detail(act_id: int):
    """Show one of the user's acts, with its pass-it-on link and where it went."""
    db_session = get_session()
    act = acts.get_own(db_session, current_user, act_id)
    travelled = ripples.below(db_session, current_user.id, act.id)
    return render_template(
        "acts/detail.html",
        act=act,
        ripple=ripple(travelled) if travelled else None,
        link=passes.open_pass(db_session, act.id),
        pass_form=PassForm(formdata=None),
    )


@bp.get("/<id:act_id>/edit")
@login_required
def edit(act_id: int):
    """Show the edit form of one of the user's acts."""
    act = acts.get_own(get_session(), current_user, act_id)
    form = _act_form(formdata=None, obj=act)
    return _render_form(form, act=act)


@bp.post("/<id:act_id>/edit")
@login_required
def update(act_id: int):
    """Save changes to one of the user's acts."""
    db_session = get_session()
    act = acts.get_own(db_session, current_user, act_id)
    form = _act_form()
    if form.validate():
        with form_errors(form):
            acts.update(db_session, current_user, act_id, form.to_input(), today_for(current_user))
            flash(_("Your changes are saved."), "success")
            return redirect(url_for(".detail", act_id=act_id))
    return _render_form(form, act=act)


@bp.get("/<id:act_id>/delete")
@login_required
def confirm_delete(act_id: int):
    """Ask before deleting an act."""
    act = acts.get_own(get_session(), current_user, act_id)
    return render_template(
        "confirm.html",
        title=_("Delete the act?"),
        quote=act.what,
        text=_("This cannot be undone."),
        action=url_for(".delete", act_id=act.id),
        button=_("Delete"),
        back=url_for(".detail", act_id=act.id),
        back_label=_("Keep it"),
    )


@bp.post("/<id:act_id>/delete")
@login_required
def delete(act_id: int):
    """Delete one of the user's acts."""
    acts.delete(get_session(), current_user, act_id)
    flash(_("The act is deleted."), "info")
    return redirect(url_for(".history"))
