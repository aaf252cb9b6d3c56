"""The OpenAPI document at /api/v1/openapi.json: a valid OpenAPI 3.1 document,
served to anyone (it describes the API, it holds nothing of anybody's), whose
every operation is under /api/v1, named, summarised, tagged, guarded by the
token, and lists its refusals as problem documents."""

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.validators import OpenAPIV31SpecValidator

OPENAPI = "/api/v1/openapi.json"
METHODS = ("get", "put", "post", "patch", "delete", "head", "options")
PROBLEM = "application/problem+json"


@pytest.fixture
def document(client) -> dict:
    response = client.get(OPENAPI)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_the_document_needs_no_token(client):
    assert "Authorization" not in client.environ_base
    assert client.get(OPENAPI).status_code == 200


def test_the_document_validates_as_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document, cls=OpenAPIV31SpecValidator)


def test_a_broken_document_does_not_validate(document):
    # The validator is not one that passes anything.
    broken = {**document, "paths": {"/api/v1/acts": {"get": {"responses": "none"}}}}
    with pytest.raises(Exception, match="responses"):
        validate(broken, cls=OpenAPIV31SpecValidator)


def test_every_operation_is_named_summarised_tagged_and_guarded(document):
    found = list(operations(document))
    assert len(found) > 30
    ids = [operation.get("operationId") for _path, _method, operation in found]
    assert all(ids)
    assert len(set(ids)) == len(ids)
    tags = {tag["name"] for tag in document["tags"]}
    for path, method, operation in found:
        assert path.startswith("/api/v1/"), path
        assert operation.get("summary"), (method, path)
        assert operation.get("tags") and set(operation["tags"]) <= tags, (method, path)
        scope = "read" if method == "get" else "read-write"
        assert operation.get("security") == [{"token": [scope]}], (method, path)
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def _resolved(document: dict, response: dict) -> dict:
    if "$ref" in response:
        return document["components"]["responses"][response["$ref"].rpartition("/")[2]]
    return response


def test_every_operation_lists_its_refusals_as_problem_documents(document):
    for path, method, operation in operations(document):
        responses = operation["responses"]
        statuses = {status for status in responses if status != "default"}
        assert {"400", "401", "429"} <= statuses, (method, path)
        if method != "get":
            assert "403" in statuses, (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
        if "requestBody" in operation:
            assert {"413", "415", "422"} <= statuses, (method, path)
        for status, response in responses.items():
            if status == "default" or int(status) >= 400:
                content = _resolved(document, response)["content"]
                assert list(content) == [PROBLEM], (method, path, status)
                schema = content[PROBLEM]["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}


def test_rules_of_the_product_are_documented_where_they_apply(document):
    paths = document["paths"]
    assert "409" in paths["/api/v1/challenges"]["post"]["responses"]
    assert "409" in paths["/api/v1/cards/claim"]["post"]["responses"]
    assert "404" in paths["/api/v1/cards/claim"]["post"]["responses"]
    assert "404" in paths["/api/v1/teams/join"]["post"]["responses"]
    assert "409" not in paths["/api/v1/acts"]["get"]["responses"]
