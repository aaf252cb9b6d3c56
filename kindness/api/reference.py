"""The API's reference for people: /developers/api, drawn on the server from the
OpenAPI document that flask-smorest generates, in the site's own templates,
stylesheet and language.

Outside /api/ because nothing under /api/ answers HTML. Server-drawn rather than
a JavaScript viewer: Swagger UI 5 runs under the strict CSP, but its widgets fail
the accessibility checks every page here passes (axe-core: unnamed buttons, low
contrast) and speak only English; this page needs no script at all.
"""

from flask import Blueprint, Flask, current_app, render_template, url_for

from kindness.api.outline import outline
from kindness.schemas import problems

bp = Blueprint("api_reference", __name__)


@bp.get("/developers/api")
def index() -> str:
    # flask-smorest's Api of this app, from the extension's own registry.
    api = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    return render_template(
        "api/reference.html",
        reference=outline(api.spec.to_dict()),
        # Where flask-smorest serves the JSON document.
        document_url=url_for("api-docs.openapi_json"),
        problems=problems.kinds(),
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
