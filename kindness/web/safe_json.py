"""JSON responses that are safe to embed: <, > and & leave as \\u escapes, so a
user's text can never close a script tag or start markup, whatever reads it."""

from flask.json.provider import DefaultJSONProvider

_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


class SafeJSONProvider(DefaultJSONProvider):
    def dumps(self, obj, **kwargs) -> str:
        return super().dumps(obj, **kwargs).translate(_HTML_SAFE)
