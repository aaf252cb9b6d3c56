"""Flask's signed-cookie session, with its signing serializer made once per set of
keys instead of twice a request (Flask builds one to open the session and another
to save it; on a page served from a kept copy that was a tenth of the request).
The serializer holds only its keys and settings, so one serves every request and
thread; a changed ``SECRET_KEY`` or ``SECRET_KEY_FALLBACKS`` makes a new one."""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CookieSessions(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._made: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        made = self._made
        if made is not None and made[0] == keys:
            return made[1]
        serializer = super().get_signing_serializer(app)
        self._made = (keys, serializer)
        return serializer


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessions()
