"""Notices by mail, as each person chose them: the choices and their one-click
unsubscribe links (``choices``), who is due a daily letter now and what it says
(``letters`` and ``sections``), and the fan-out of a new forward to the authors
above it (``travelled``)."""
