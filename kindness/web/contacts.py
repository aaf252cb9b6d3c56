"""The private address book: list, add, rename, note, delete."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kindness.domain import acts, contacts
from kindness.domain.errors import InvalidInput
from kindness.sessions import get_session
from kindness.web.forms import attach_error
from kindness.web.forms.contacts import ContactForm

bp = Blueprint("contacts", __name__, url_prefix="/contacts")


def _render_list(form: ContactForm):
    rows = contacts.list_with_counts(get_session(), current_user)
    return render_template("contacts/index.html", contacts=rows, form=form)


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
        db_session = get_session()
        try:
            contact = contacts.add(db_session, current_user, form.name.data, form.note.data)
        except InvalidInput as error:
            db_session.rollback()
            attach_error(form, error)
        else:
            db_session.commit()
            flash(_("Contact added."), "success")
            return redirect(url_for(".detail", contact_id=contact.id))
    return _render_list(form)


def _render_detail(contact, form: ContactForm):
    done = acts.for_contact(get_session(), current_user, contact.id)
    return render_template("contacts/detail.html", contact=contact, acts=done, form=form)


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
        try:
            contacts.update(db_session, current_user, contact_id, form.name.data, form.note.data)
        except InvalidInput as error:
            db_session.rollback()
            contact = contacts.get_own(db_session, current_user, contact_id)
            attach_error(form, error)
        else:
            db_session.commit()
            flash(_("Contact saved."), "success")
            return redirect(url_for(".detail", contact_id=contact_id))
    return _render_detail(contact, form)


@bp.get("/<id:contact_id>/delete")
@login_required
def confirm_delete(contact_id: int):
    """Ask before deleting a contact."""
    contact = contacts.get_own(get_session(), current_user, contact_id)
    return render_template("contacts/delete.html", contact=contact)


@bp.post("/<id:contact_id>/delete")
@login_required
def delete(contact_id: int):
    """Delete a contact; the acts for them stay, for "someone"."""
    db_session = get_session()
    contacts.delete(db_session, current_user, contact_id)
    db_session.commit()
    flash(_("Contact deleted. Your acts for them stay, for “someone”."), "info")
    return redirect(url_for(".index"))
