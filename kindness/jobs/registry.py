"""Every job by name. A job is a function ``(session, **json_args)``; it flushes its
work and leaves the commit to ``dispatch.run``."""

from collections.abc import Callable

from kindness.jobs import notices, periodic, sending

JOBS: dict[str, Callable[..., None]] = {
    "send_mail": sending.send_mail,
    "tick": periodic.tick,
    "travelled": notices.travelled,
}
