"""The one moment the tests live in: noon in Berlin on Thursday 26 November 2026.

The ``clock`` fixture (tests/conftest.py) freezes time there, and tests that
need another moment move it (``clock.move_to``). ``TODAY`` is that moment's
date in Berlin, the default home of the test users; factories date their data
from it, never from the machine's calendar.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

NOON_IN_BERLIN = datetime(2026, 11, 26, 11, tzinfo=UTC)
TODAY = NOON_IN_BERLIN.astimezone(ZoneInfo("Europe/Berlin")).date()
