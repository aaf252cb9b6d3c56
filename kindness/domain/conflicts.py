"""Unique values taken at the same moment: the rules check that a name or address
is free, but between that check and the insert another request can take it. The
database refuses the second insert; this module turns the constraint it names
into a ``Conflict`` with the words for the person who came second (and a write
that lost a race on SQLite, which tells no constraint, into a plain one)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, IntegrityError

from kindness.db import constraint_name, lost_race
from kindness.domain.errors import Conflict

# constraint name -> (form field, message)
TAKEN = {
    "uq_users_email": ("email", _l("Someone has just taken this email address.")),
    "uq_users_profile_name": ("name", _l("Someone has just taken this profile name.")),
    "uq_teams_name_key": ("name", _l("Someone has just taken this team name.")),
    "uq_teams_slug": (
        "name",
        _l("Someone has just made a team with a name like this one. Please try again."),
    ),
    "uq_contacts_owner_id_name": ("name", _l("You already have a contact with this name.")),
    # Two requests for a data export at once (``data_exports.request``).
    "uq_data_exports_user_id": (
        "data_export",
        _l("Your data is being gathered already. This page shows it as soon as it is ready."),
    ),
}


def conflict_for(error: DBAPIError) -> Conflict | None:
    """The conflict that ``error`` means, or None for a constraint not known here
    or an error that is no race."""
    if isinstance(error, IntegrityError):
        known = TAKEN.get(constraint_name(error) or "")
        if known is not None:
            field, message = known
            return Conflict(message, field)
        return None
    if lost_race(error):
        return Conflict(_l("Someone changed this at the same moment. Please try again."))
    return None
