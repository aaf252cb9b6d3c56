"""Settings → API tokens: make a personal access token for the JSON API, see
one's tokens, revoke one. The rules are kindness.domain.api_tokens'.

The secret is shown once, on the page that answers the POST that made it: it
is never put in a URL, a cookie or the session, and the page is kept by no
cache (``no-store``), so reloading or going back cannot show it again (a
browser that sends the form again makes another token, with its own secret,
which the list then shows).
"""

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kindness.db import utcnow
from kindness.domain import api_tokens
from kindness.domain.errors import NotFound
from kindness.models import ApiToken
from kindness.sessions import get_session
from kindness.urls import absolute_url_for
from kindness.web.boundary import form_errors, form_status
from kindness.web.forms.api_tokens import TokenForm

bp = Blueprint("api_tokens", __name__, url_prefix="/settings/tokens")


def _render(form: TokenForm | None = None):
    page = render_template(
        "settings/tokens.html",
        form=form or TokenForm(formdata=None),
        tokens=api_tokens.of(get_session(), current_user),
        me_url=absolute_url_for("api_me.read_me"),
    )
    return page, form_status(form) if form is not None else 200


@bp.get("")
@login_required
def index():
    """The person's tokens, and the form to make one."""
    return _render()


@bp.post("")
@login_required
def make():
    """Make a token and show its secret, this once."""
    form = TokenForm()
    if form.validate():
        with form_errors(form):
            token, secret = api_tokens.make(
                get_session(),
                current_user,
                form.name.data,
                form.scope.data,
                form.expires_on.data,
                # Tokens expire by the UTC day (kindness.domain.api_tokens.authenticate).
                today=utcnow().date(),
            )
            response = make_response(
                render_template("settings/token_made.html", token=token, secret=secret)
            )
            response.headers["Cache-Control"] = "no-store"
            return response
    return _render(form)


@bp.get("/<id:token_id>/revoke")
@login_required
def confirm_revoke(token_id: int):
    """Ask before revoking a token."""
    token = _own(token_id)
    return render_template(
        "confirm.html",
        title=_("Revoke the token?"),
        heading=_("Revoke “%(name)s”?", name=token.name),
        text=_(
            "Whatever uses this token can no longer reach your account through the API."
            " This cannot be undone; you can make a new token any time."
        ),
        action=url_for(".revoke", token_id=token.id),
        button=_("Revoke"),
        back=url_for(".index"),
        back_label=_("Keep it"),
    )


@bp.post("/<id:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke one of the person's tokens (anyone else's: 404)."""
    api_tokens.revoke(get_session(), current_user, token_id)
    flash(_("The token is revoked; it no longer works."), "info")
    return redirect(url_for(".index"))


def _own(token_id: int) -> ApiToken:
    """One of the person's tokens, for the question before revoking it (anyone else's: 404)."""
    token = next((t for t in api_tokens.of(get_session(), current_user) if t.id == token_id), None)
    if token is None:
        raise NotFound()
    return token
