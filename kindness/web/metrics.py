"""Prometheus metrics: what the app served, and what waits behind it.

- Every request (but the scrape itself) is counted by method, route and status,
  and timed by method and route. The route is the URL rule (``/p/<code>``), never
  the path: a claim, invite or reset code must not reach a label, and one label
  value per path would grow without end. Methods outside HTTP's usual ones read
  ``other`` for the same reason.
- The job queue's depth and the mails by state are gauges read when scraped:
  the Celery queue's Redis list (with ``REDIS_URL``), the outbox rows waiting,
  and one grouped count of ``mails``.
- Under gunicorn each worker counts for itself; with ``PROMETHEUS_MULTIPROC_DIR``
  set (before start-up) prometheus_client keeps the counts in files there and the
  scrape sums every worker's. Without it, one process's registry is shown.
- ``/metrics`` answers only clients in ``METRICS_ALLOW`` (after ProxyFix, so the
  address the trusted proxies forwarded); anyone else gets the site's 404.
"""

import os
import time
from collections.abc import Iterator
from ipaddress import IPv6Address, ip_address

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from flask.signals import request_finished, request_started
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError

from kindness.domain import mails, outbox
from kindness.jobs import queue
from kindness.sessions import get_session

bp = Blueprint("metrics", __name__)

EXTENSION = "kindness.metrics"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # a request no URL rule took (a 404 or 405 before any view)


class Metrics:
    """One app's request metrics and the registry its scrape reads."""

    def __init__(self) -> None:
        own = CollectorRegistry()
        self.requests = Counter(
            "kindness_http_requests",
            "Requests answered, by method, URL rule and status.",
            ["method", "route", "status"],
            registry=own,
        )
        self.latency = Histogram(
            "kindness_http_request_duration_seconds",
            "Time from the request's start to its answer, by method and URL rule.",
            ["method", "route"],
            registry=own,
        )
        if multiprocess():
            # The counts of every worker, read from their files at each scrape.
            self.registry = CollectorRegistry()
            MultiProcessCollector(self.registry)
        else:
            self.registry = own
        self.registry.register(Backlog())


def multiprocess() -> bool:
    """Whether prometheus_client keeps its values in files shared by the workers."""
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


class Backlog(Collector):
    """The gauges read at scrape time: jobs waiting, mails by state."""

    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "kindness_job_queue_depth",
            "Jobs waiting: in the Celery queue on Redis, and in the outbox table.",
            labels=["queue"],
        )
        if queue.enabled(current_app):
            try:
                depth.add_metric([queue.QUEUE], queue.depth(current_app))
            except queue.Unavailable as error:
                current_app.logger.warning("metrics: Redis does not answer: %s", error)
        try:
            session = get_session()
            depth.add_metric(["outbox"], outbox.waiting(session))
            states = mails.count_by_state(session)
        except SQLAlchemyError as error:
            current_app.logger.warning("metrics: the database does not answer: %s", error)
            yield depth
            return
        yield depth
        by_state = GaugeMetricFamily(
            "kindness_mails", "Mails in the mail log, by state.", labels=["state"]
        )
        for state, count in states.items():
            by_state.add_metric([state], count)
        yield by_state


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Metrics()
    # Signals, not hooks: they fire for every request, whatever a hook before
    # them did, and the finish comes after the request's commit.
    request_started.connect(_start, app)
    request_finished.connect(_finish, app)


def _start(sender: Flask, **_extra: object) -> None:
    g.metrics_started = time.perf_counter()


def _finish(sender: Flask, response: Response, **_extra: object) -> None:
    if request.endpoint == "metrics.metrics":
        return
    rule = request.url_rule.rule if request.url_rule is not None else UNMATCHED
    method = request.method if request.method in METHODS else "other"
    metrics: Metrics = sender.extensions[EXTENSION]
    metrics.requests.labels(method, rule, str(response.status_code)).inc()
    started = g.get("metrics_started")
    if started is not None:
        metrics.latency.labels(method, rule).observe(time.perf_counter() - started)


def allowed(address: str | None) -> bool:
    """Whether ``address`` is inside one of the networks of ``METRICS_ALLOW``."""
    try:
        ip = ip_address(address or "")
    except ValueError:
        return False
    if isinstance(ip, IPv6Address) and ip.ipv4_mapped is not None:  # ::ffff:127.0.0.1 is 127.0.0.1
        ip = ip.ipv4_mapped
    return any(ip in network for network in current_app.config["METRICS_ALLOW"])


@bp.get("/metrics")
def metrics():
    """Answer the allowed scrapers in Prometheus' text format; 404 to anyone else."""
    if not allowed(request.remote_addr):
        abort(404)
    registry = current_app.extensions[EXTENSION].registry
    response = Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response
