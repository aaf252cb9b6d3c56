"""The Celery entry point: ``celery -A kindness.jobs.worker worker`` (any number, on any
host) and ``celery -A kindness.jobs.worker beat`` (exactly one: the periodic jobs).

Both read the same settings as the web app (``KINDNESS_*``, ``DATABASE_URL``,
``REDIS_URL``), which must name Redis.
"""

from kindness import create_app
from kindness.jobs.queue import celery_of

# Not named ``app``: Celery's ``-A`` would take a Flask app of that name for its own.
flask_app = create_app()
if not flask_app.config.get("REDIS_URL"):
    raise SystemExit("The worker needs Redis: set REDIS_URL (or KINDNESS_REDIS_URL).")
celery = celery_of(flask_app)
