"""Background jobs: work that happens after a request, or on a schedule.

- ``registry``: every job by name, each a function over a session.
- ``dispatch``: runs one job as its own unit of work, and hands committed outbox
  rows to the queue (Celery on Redis), or runs them inline when there is no Redis
  (``make run``, the tests).
- ``queue``: the Celery app: one task that runs a job by name, and the schedule.
- ``periodic``, ``sending``, ``notices``, ``accounts``, ``data_exports``: the jobs themselves.
- ``worker``: the module ``celery -A kindness.jobs.worker`` loads.
"""
