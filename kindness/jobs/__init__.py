"""Background jobs: work that happens after a request, or on a schedule.

- ``registry``: every job by name, each a function over a session.
- ``runner``: runs one job as its own unit of work, then relays what it queued.
- ``relay``: hands committed outbox rows to the queue (Celery on Redis), or
  runs them inline when there is no Redis (``make run``, the tests).
- ``queue``: the Celery app: one task that runs a job by name, and the schedule.
- ``worker``: the module ``celery -A kindness.jobs.worker`` loads.
"""
