"""Where a program starts: /api and /api/v1 name the version, the document and
the reference; /openapi.json leads to the document; nothing there is HTML."""

import pytest


@pytest.mark.parametrize("path", ["/api", "/api/", "/api/v1", "/api/v1/"])
def test_the_index_names_the_document_and_the_reference(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    index = response.get_json()
    assert index["version"] == "v1"
    assert index["openapi"] == "http://127.0.0.1:5000/api/v1/openapi.json"
    assert index["reference"] == "http://127.0.0.1:5000/developers/api"
    assert client.get(index["openapi"].removeprefix("http://127.0.0.1:5000")).status_code == 200
    assert client.get(index["reference"].removeprefix("http://127.0.0.1:5000")).status_code == 200


def test_openapi_json_at_the_root_leads_to_the_document(client):
    response = client.get("/openapi.json")
    assert response.status_code == 308
    assert response.headers["Location"] == "http://127.0.0.1:5000/api/v1/openapi.json"


@pytest.mark.parametrize(("method", "path"), [("POST", "/api"), ("DELETE", "/api/v1")])
def test_a_write_to_the_index_is_a_problem_not_a_page(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 405
