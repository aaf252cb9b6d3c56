"""The API's reference for people: /developers/api, drawn on the server from the
OpenAPI document that flask-smorest generates, in the site's own templates,
stylesheet and language.

Outside /api/ because nothing under /api/ answers HTML. Server-drawn rather than
a JavaScript viewer: Swagger UI 5 runs under the strict CSP, but its widgets fail
the accessibility checks every page here passes (axe-core: unnamed buttons, low
contrast) and speak only English; this page needs no script at all.
"""

from typing import Any

from flask import Blueprint, Flask, abort, current_app, render_template, url_for
from werkzeug.routing import BuildError

from kindness.api.outline import outline

bp = Blueprint("api_reference", __name__)


@bp.get("/developers/api")
def index() -> str:
    api = _api()
    if api is None:  # an app without the API has no reference to show
        abort(404)
    return render_template(
        "api/reference.html",
        reference=outline(api.spec.to_dict()),
        document_url=_document_url(),
    )


def _api() -> Any:
    """flask-smorest's Api of this app, from the extension's own registry."""
    apis = current_app.extensions.get("flask-smorest", {}).get("apis", {})
    return apis.get("", {}).get("ext_obj")


def _document_url() -> str | None:
    """Where flask-smorest serves the JSON document (OPENAPI_URL_PREFIX + OPENAPI_JSON_PATH)."""
    try:
        return url_for("api-docs.openapi_json")
    except BuildError:
        return None


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    # The footer links here only where the page is served: an app without it
    # could not build the link, and every page would fail.
    app.jinja_env.globals["api_reference_served"] = True
