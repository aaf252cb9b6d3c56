"""JSON request bodies that would break a reader further in are refused at the
door with a 400, for the API and for any page a client posts JSON to
(Flask-WTF reads JSON bodies too): text no database can store, and bodies
Python's own parser cannot read although they are JSON (nested a thousand
levels deep, or a number of more than 4,300 digits). Malformed JSON is left to
the reader, which says what is wrong with it."""

import json

from flask import Flask, abort, request
from flask_babel import gettext as _


def refuse_unreadable_json() -> None:
    if not request.is_json:
        return
    raw = request.get_data(cache=True)
    if not raw:
        return
    if b"\\u0000" in raw:
        # JSON may spell NUL as \u0000; no text here needs it and PostgreSQL cannot store it.
        abort(400, _("Text may not contain NUL characters."))
    try:
        body = json.loads(raw)
    except RecursionError:
        abort(400, _("This JSON is nested too deeply to read."))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return
    except ValueError:
        # Python refuses to turn a number of more than 4,300 digits into an int.
        abort(400, _("A number in this JSON has too many digits."))
    try:
        # JSON may also spell half of a UTF-16 pair alone (\ud800): no UTF-8 text,
        # and so no database, can hold it (the driver would raise, a 500).
        json.dumps(body, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        abort(400, _("Text may not contain half of a UTF-16 surrogate pair alone."))


def init_app(app: Flask) -> None:
    app.before_request(refuse_unreadable_json)
