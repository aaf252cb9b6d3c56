"""/metrics: requests by route and status, latency, the jobs waiting and the mails by
state, shown only to the addresses of KINDNESS_METRICS_ALLOW."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kindness import config
from kindness.domain import outbox
from kindness.jobs import queue
from kindness.models import Mail
from tests.conftest import joined_app
from tests.workers import queue_redis, queue_url


def scrape(client, **kwargs) -> dict[tuple[str, tuple], float]:
    """The samples of /metrics by name and sorted labels."""
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def requests(samples, route: str, status: str, method: str = "GET") -> float:
    labels = (("method", method), ("route", route), ("status", status))
    return samples.get(("kindness_http_requests_total", labels), 0)


def test_requests_are_counted_by_url_rule_and_status_never_by_path(client):
    before = scrape(client)
    for code in ("s3cretcode1", "s3cretcode2"):
        assert client.get(f"/p/{code}").status_code == 404
    assert client.get("/").status_code == 200
    assert client.get("/no/such/page").status_code == 404
    text = client.get("/metrics").get_data(as_text=True)
    samples = scrape(client)
    assert requests(samples, "/p/<code>", "404") == requests(before, "/p/<code>", "404") + 2
    assert requests(samples, "/", "200") == requests(before, "/", "200") + 1
    assert requests(samples, "unmatched", "404") == 1
    assert "s3cretcode" not in text and "/no/such/page" not in text
    # The scrape does not count itself.
    assert not any(route == "/metrics" for (_name, labels) in samples for _, route in labels)
    latency = samples[
        (
            "kindness_http_request_duration_seconds_count",
            (("method", "GET"), ("route", "/p/<code>")),
        )
    ]
    assert latency == 2
    assert (
        samples[
            (
                "kindness_http_request_duration_seconds_bucket",
                (("le", "+Inf"), ("method", "GET"), ("route", "/p/<code>")),
            )
        ]
        == 2
    )


def test_an_unknown_method_is_counted_as_other(client):
    client.open("/", method="BREW")
    assert requests(scrape(client), "unmatched", "405", method="other") == 1


def test_the_answer_is_prometheus_text_for_an_allowed_address(client):
    for address in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
        response = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 200, address
        assert response.mimetype == "text/plain"
        assert "version=" in response.content_type
        assert "# TYPE kindness_http_requests_total counter" in response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("address", ["10.0.0.7", "2001:db8::1", ""])
def test_any_other_address_gets_the_sites_404(client, address):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 404
    assert "kindness_" not in response.get_data(as_text=True)
    assert "There is nothing here" in response.get_data(as_text=True)


def test_networks_can_be_allowed(database, smtp_server):
    with joined_app(database, METRICS_ALLOW="10.0.0.0/8, 192.0.2.1") as app:
        client = app.test_client()
        assert (
            client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"}).status_code == 200
        )
        assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.1"}).status_code == 200
        assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.2"}).status_code == 404
        assert client.get("/metrics").status_code == 404  # 127.0.0.1 is no longer listed


def test_behind_a_proxy_the_forwarded_address_counts(database, smtp_server):
    with joined_app(database, PROXY_HOPS=1, METRICS_ALLOW="192.0.2.0/24") as app:
        client = app.test_client()

        def through_proxy(client_address: str):
            return client.get(
                "/metrics",
                environ_base={"REMOTE_ADDR": "10.0.0.1"},
                headers={"X-Forwarded-For": client_address},
            )

        assert through_proxy("192.0.2.7").status_code == 200
        assert through_proxy("203.0.113.9").status_code == 404
        # The proxy's own address is not the client's.
        assert through_proxy("10.0.0.1").status_code == 404


def test_prometheus_may_scrape_by_address_whatever_the_allowed_hosts(database, smtp_server):
    with joined_app(database, ALLOWED_HOSTS="kind.example") as app:
        client = app.test_client()
        assert client.get("/metrics", headers={"Host": "10.0.0.5:8000"}).status_code == 200
        assert client.get("/", headers={"Host": "10.0.0.5:8000"}).status_code == 400


def test_a_bad_allow_list_stops_the_app():
    with pytest.raises(ValueError, match="METRICS_ALLOW"):
        config.networks("METRICS_ALLOW", "127.0.0.1, localhost")


def test_jobs_waiting_in_the_outbox_and_failed_mails_are_shown(client, session):
    samples = scrape(client)
    assert samples[("kindness_job_queue_depth", (("queue", "outbox"),))] == 0
    assert samples[("kindness_mails", (("state", "failed"),))] == 0
    for number in range(3):
        outbox.later(session, "tick", number=number)
    for number, state in enumerate(["failed", "failed", "sent", "queued"]):
        session.add(
            Mail(key=f"k{number}", kind="confirm", to_address="ada@example.org", state=state)
        )
    session.flush()
    samples = scrape(client)
    assert samples[("kindness_job_queue_depth", (("queue", "outbox"),))] == 3
    assert samples[("kindness_mails", (("state", "failed"),))] == 2
    assert samples[("kindness_mails", (("state", "sent"),))] == 1
    assert samples[("kindness_mails", (("state", "queued"),))] == 1
    assert samples[("kindness_mails", (("state", "sending"),))] == 0
    assert ("kindness_job_queue_depth", (("queue", queue.QUEUE),)) not in samples


def test_with_redis_the_celery_queue_is_counted(database, smtp_server):
    client_of_redis = queue_redis()
    try:
        with joined_app(database, REDIS_URL=queue_url()) as app:
            queue.send(app, [("tick", {}, number) for number in (1, 2, 3)])
            samples = scrape(app.test_client())
            assert samples[("kindness_job_queue_depth", (("queue", "celery"),))] == 3
            assert client_of_redis.llen(queue.QUEUE) == 3
    finally:
        client_of_redis.flushdb()
        client_of_redis.close()


def test_with_redis_down_the_scrape_still_answers(database, smtp_server):
    with joined_app(database, REDIS_URL="redis://127.0.0.1:9/0") as app:
        samples = scrape(app.test_client())
    assert ("kindness_job_queue_depth", (("queue", "celery"),)) not in samples
    assert samples[("kindness_job_queue_depth", (("queue", "outbox"),))] == 0
