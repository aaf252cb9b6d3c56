"""Every job by name. A job is a function ``(session, **json_args)``; ``dispatch.run``
commits its work when it returns (a job may commit earlier steps itself: sending a
mail commits its claim before the slow part, the tick each of its steps)."""

from collections.abc import Callable

from kindness.jobs import accounts, data_exports, notices, periodic, sending

JOBS: dict[str, Callable[..., None]] = {
    "data_export": data_exports.build,
    "password_reset": accounts.password_reset,
    "send_mail": sending.send_mail,
    "tick": periodic.tick,
    "travelled": notices.travelled,
}
