"""The private address book: list, add, rename, note, delete."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kindness.domain import acts, contacts
from kindness.sessions import get_session
from kindness.web.boundary import form_errors, form_status
from kindness.web.forms.contacts import ContactForm

bp = Blueprint("contacts", __name__, url_prefix="/contacts")


def _render_list(form: ContactForm):
    rows = contacts.list_with_counts(get_session(), current_user)
    return render_template("contacts/index.html", contacts=rows, form=form), form_status(form)


@bp.get("")
@login_required
def index():
    """List the user's contacts."""
    return _render_list(ContactForm(formdata=None))


@bp.post("")
@login_required
def create():
    """Add a contact."""
    form = ContactForm()
    if form.validate():
        with form_errors(form):
            contact = contacts.add(get_session(), current_user, form.name.data, form.note.data)
            flash(_("Contact added."), "success")
            return redirect(url_for(".detail", contact_id=contact.id))
    return _render_list(form)


def _render_detail(contact, form: ContactForm):
    done = acts.for_contact(get_session(), current_user, contact.id)
    page = render_template("contacts/detail.html", contact=contact, acts=done, form=form)
    return page, form_status(form)


@bp.get("/<id:contact_id>")
@login_required
def detail(contact_id: int):
    """Show a contact and what the user did for them."""
    contact = contacts.get_own(get_session(), current_user, contact_id)
    return _render_detail(contact, ContactForm(formdata=None, obj=contact))


@bp.post("/<id:contact_id>")
@login_required
def update(contact_id: int):
    """Rename a contact or change its note."""
    db_session = get_session()
    contact = contacts.get_own(db_session, current_user, contact_id)
    form = ContactForm()
    if form.validate():
        with form_errors(form):
            contacts.update(db_session, current_user, contact_id, form.name.data, form.note.data)
            flash(_("Contact saved."), "success")
            return redirect(url_for(".detail", contact_id=contact_id))
    return _render_detail(contact, form)


@bp.get("/<id:contact_id>/delete")
@login_required
def confirm_delete(contact_id: int):
    """Ask before deleting a contact."""
    contact = contacts.get_own(get_session(), current_user, contact_id)
    return render_template(
        "confirm.html",
        title=_("Delete the contact?"),
        heading=_("Delete %(name)s?", name=contact.name),
        text=_("Your acts for them stay; they will read “for someone”."),
        action=url_for(".delete", contact_id=contact.id),
        button=_("Delete"),
        back=url_for(".detail", contact_id=contact.id),
        back_label=_("Keep"),
    )


@bp.post("/<id:contact_id>/delete")
@login_required
def delete(contact_id: int):
    """Delete a contact; the acts for them stay, for "someone"."""
    contacts.delete(get_session(), current_user, contact_id)
    flash(_("Contact deleted. Your acts for them stay, for “someone”."), "info")
    return redirect(url_for(".index"))
