"""Where a program or a person starts: ``/api`` and ``/api/v1`` name the version,
its OpenAPI document and its reference page, and ``/openapi.json`` (where
tools look first) leads to the document. No token needed: nothing here is
anyone's data."""

from flask import Blueprint, Flask, redirect
from werkzeug.wrappers import Response

from kindness.urls import absolute_url_for

bp = Blueprint("api_index", __name__)


@bp.get("/api", strict_slashes=False)
@bp.get("/api/v1", strict_slashes=False)
def index() -> dict[str, str]:
    return {
        "name": "Kindness API",
        "version": "v1",
        "openapi": absolute_url_for("api-docs.openapi_json"),
        "reference": absolute_url_for("api_reference.index"),
    }


@bp.get("/openapi.json")
def document() -> Response:
    return redirect(absolute_url_for("api-docs.openapi_json"), code=308)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
