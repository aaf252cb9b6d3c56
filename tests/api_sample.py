"""A small flask-smorest API for the reference page's tests, until (and unless) the
app brings its own: ``with_reference(app)`` gives an app that serves
/developers/api, on the real API when create_app registers one."""

from flask import Flask
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields, validate

from kindness.api import reference

SAMPLE_CONFIG = {
    "API_TITLE": "Kindness",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}
TOKEN = {"type": "http", "scheme": "bearer", "description": "A personal access token."}


class PersonSchema(Schema):
    name = fields.Str(required=True, metadata={"description": "The name others see."})


class ActSchema(Schema):
    id = fields.Int(dump_only=True)
    what = fields.Str(
        required=True, validate=validate.Length(1, 200), metadata={"description": "What you did."}
    )
    visibility = fields.Str(validate=validate.OneOf(["private", "public"]))
    note = fields.Str(allow_none=True)
    author = fields.Nested(PersonSchema, dump_only=True)


class ActQuerySchema(Schema):
    cursor = fields.Str(metadata={"description": "Where the last page ended."})
    limit = fields.Int(validate=validate.Range(1, 100))


acts = Blueprint("sample_acts", __name__, url_prefix="/api/v1/acts", description="Your acts.")
health = Blueprint("sample_health", __name__, url_prefix="/api/v1", description="Is it up?")


@acts.get("")
@acts.arguments(ActQuerySchema, location="query")
@acts.response(200, ActSchema(many=True))
@acts.doc(security=[{"token": ["read"]}])
def list_acts(_query):
    """List your acts

    Newest first."""
    return []


@acts.post("")
@acts.arguments(ActSchema)
@acts.response(201, ActSchema)
@acts.doc(security=[{"token": ["write"]}])
def create_act(act):
    """Log an act"""
    return act


@acts.get("/<int:act_id>")
@acts.response(200, ActSchema)
@acts.doc(security=[{"token": ["read"]}], deprecated=True)
def read_act(act_id):
    """Read one act"""
    return {"id": act_id, "what": "x"}


@health.get("/ping")
@health.response(200)
@health.doc(security=[])
def ping():
    """Answer that the API is up"""
    return ""


def with_reference(app: Flask) -> Flask:
    """``app`` serving the reference page, with the sample API when it has no API of its own."""
    if "flask-smorest" not in app.extensions:
        app.config.update(SAMPLE_CONFIG)
        api = Api(app, spec_kwargs={"security": [{"token": []}]})
        api.spec.components.security_scheme("token", TOKEN)
        api.register_blueprint(acts)
        api.register_blueprint(health)
    if "api_reference" not in app.blueprints:
        reference.init_app(app)
    return app
