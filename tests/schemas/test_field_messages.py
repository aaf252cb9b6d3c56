"""marshmallow's own messages in the reader's language: every template is one
marshmallow really writes, every message the API's kinds of field and validator
write is matched, and the API answers a German reader in German."""

import inspect

import pytest
from flask_babel import force_locale
from marshmallow import Schema, ValidationError, fields, validate

from kindness.api import strict
from kindness.schemas import field_messages
from tests.api.conftest import token_for
from tests.factories import make_user


def marshmallows_own_words() -> set[str]:
    """Every message marshmallow declares, Range's with its inclusive bounds filled in."""
    words = set(Schema._default_error_messages.values())
    for _name, cls in inspect.getmembers(fields, inspect.isclass):
        words |= set(getattr(cls, "default_error_messages", {}).values())
    for _name, cls in inspect.getmembers(validate, inspect.isclass):
        words |= {
            value
            for key, value in vars(cls).items()
            if key.startswith(("message", "default_message")) and isinstance(value, str)
        }
    bounds = validate.Range(min=0, max=1), validate.Range(min=0), validate.Range(max=1)
    words |= {
        message
        for bound in bounds
        for message in (bound.message_all, bound.message_min, bound.message_max)
    }
    words |= {"Not a valid datetime."}  # DateTime's "Not a valid {obj_type}."
    return words


def test_every_template_is_one_marshmallow_writes():
    own = marshmallows_own_words()
    assert [template for template in field_messages.TEMPLATES if template not in own] == []


class EveryKind(Schema):
    """The kinds of field and validator the API's requests are made of."""

    text = fields.String(required=True, validate=validate.Length(min=3, max=5))
    exact = fields.String(validate=validate.Length(equal=2))
    short = fields.String(validate=validate.Length(max=2))
    long = fields.String(validate=validate.Length(min=4))
    choice = fields.String(validate=validate.OneOf(["a", "b"]))
    shaped = fields.String(validate=validate.Regexp(r"^x$"))
    number = strict.Integer(validate=validate.Range(min=1, max=9))
    at_least = fields.Integer(validate=validate.Range(min=1))
    at_most = fields.Integer(validate=validate.Range(max=1))
    integer = fields.Integer()
    flag = strict.Boolean()
    day = fields.Date()
    moment = fields.AwareDateTime()
    items = fields.List(fields.String())
    kept = fields.String(allow_none=False)


BAD = {
    "exact": "abc",
    "short": "abc",
    "long": "a",
    "choice": "c",
    "shaped": "y",
    "number": 10,
    "at_least": 0,
    "at_most": 2,
    "integer": "one",
    "flag": "yes",
    "day": "someday",
    "moment": "sometime",
    "items": "not a list",
    "kept": None,
    "unknown": 1,
}


def errors_of(data: dict) -> dict:
    with pytest.raises(ValidationError) as raised:
        EveryKind().load(data)
    return raised.value.messages


@pytest.mark.parametrize("data", [BAD, {"text": "ab"}, {"text": 5}], ids=["bad", "short", "type"])
def test_every_message_of_those_kinds_is_translated(app, data):
    messages = [m for listed in errors_of(data).values() for m in listed]
    assert messages
    with app.test_request_context(), force_locale("de"):
        untranslated = [m for m in messages if field_messages.translated(m) == m]
    assert untranslated == []


def test_values_are_kept_and_other_words_pass_through():
    assert field_messages.translate(
        {"a": ["Must be one of: x, y."], "b": {"0": ["Schon Deutsch."]}}
    ) == {
        "a": ["Must be one of: x, y."],
        "b": {"0": ["Schon Deutsch."]},
    }


def test_the_api_answers_a_german_reader_in_german(client, session):
    ada = make_user(session)
    response = client.post(
        "/api/v1/acts",
        json={"what": "ab", "category": "nope", "mystery": 1},
        headers={"Authorization": f"Bearer {token_for(session, ada)}", "Accept-Language": "de"},
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    assert errors["what"] == ["Die Länge muss zwischen 3 und 500 liegen."]
    assert errors["category"][0].startswith("Muss einer dieser Werte sein: ")
    assert errors["mystery"] == ["Unbekanntes Feld."]


def test_an_english_reader_reads_marshmallows_words(client, session):
    ada = make_user(session)
    response = client.post(
        "/api/v1/acts",
        json={"what": "ab"},
        headers={"Authorization": f"Bearer {token_for(session, ada)}", "Accept-Language": "en"},
    )
    assert response.get_json()["errors"]["json"]["what"] == ["Length must be between 3 and 500."]
