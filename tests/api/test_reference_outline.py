"""kindness/api/outline.py: an OpenAPI 3.1 document read as the reference page
shows it (plain data, no app)."""

from kindness.api.outline import Requirement, Type, anchor, outline


def document(**parts) -> dict:
    return {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, **parts}


def test_operations_are_grouped_by_first_tag_in_the_documents_tag_order():
    found = outline(
        document(
            tags=[{"name": "b", "description": "Bees."}, {"name": "a"}],
            paths={
                "/a": {"get": {"tags": ["a", "b"], "summary": "A"}},
                "/b": {"post": {"tags": ["b"]}, "get": {"tags": ["b"]}},
                "/c": {"get": {"tags": ["c"]}, "delete": {}},
            },
        )
    )
    assert [(g.name, g.description) for g in found.groups] == [
        ("b", "Bees."),
        ("a", ""),
        ("c", ""),
        ("", ""),
    ]
    assert [(o.method, o.path) for o in found.groups[0].operations] == [
        ("GET", "/b"),
        ("POST", "/b"),
    ]
    # Shown once, under its first tag, so its anchor is unique.
    assert [o.anchor for o in found.operations].count("get-a") == 1


def test_anchors_are_made_of_method_and_path():
    assert anchor("get", "/api/v1/acts/{act_id}") == "get-api-v1-acts-act_id"


def test_an_operations_parameter_replaces_the_path_items_and_refs_are_followed():
    found = outline(
        document(
            components={
                "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {}}},
            },
            paths={
                "/x/{id}": {
                    "parameters": [
                        {"name": "id", "in": "path", "schema": {"type": "integer"}},
                        {"$ref": "#/components/parameters/Limit"},
                    ],
                    "get": {
                        "parameters": [
                            {
                                "name": "limit",
                                "in": "query",
                                "description": "At most.",
                                "schema": {"type": "integer", "maximum": 50},
                            }
                        ]
                    },
                }
            },
        )
    )
    (operation,) = found.operations
    by_name = {p.name: p for p in operation.parameters}
    assert by_name["id"].required  # path parameters always are
    assert by_name["id"].shape.type == Type(name="integer")
    assert by_name["limit"].description == "At most."
    assert by_name["limit"].shape.constraints == (("maximum", "50"),)
    assert not by_name["limit"].required


def test_types_nullables_unions_arrays_and_named_schemas():
    found = outline(
        document(
            components={
                "schemas": {
                    "Thing": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string", "maxLength": 9, "readOnly": True},
                            "note": {"type": ["string", "null"]},
                            "kind": {"enum": ["a", "b"]},
                            "either": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                            "parent": {
                                "anyOf": [{"$ref": "#/components/schemas/Thing"}, {"type": "null"}]
                            },
                            "tags": {"type": "array", "items": {"type": "string"}},
                            "inline": {
                                "type": "object",
                                "properties": {"deep": {"type": "boolean"}},
                            },
                        },
                    }
                }
            }
        )
    )
    ((name, shape),) = found.schemas
    assert name == "Thing"
    fields = {field.name: field for field in shape.fields}
    assert fields["name"].required and not fields["note"].required
    assert fields["name"].constraints == (("maxLength", "9"), ("readOnly", ""))
    assert fields["note"].type == Type(name="string", nullable=True)
    assert fields["kind"].constraints == (("enum", '"a", "b"'),)
    assert fields["either"].type == Type(variants=(Type(name="integer"), Type(name="string")))
    assert fields["parent"].type == Type(ref="Thing", nullable=True)
    assert fields["tags"].type == Type(items=Type(name="string"))
    assert [f.name for f in fields["inline"].fields] == ["deep"]


def test_bodies_and_responses_unfold_the_schema_they_name():
    found = outline(
        document(
            components={
                "schemas": {"Act": {"properties": {"what": {"type": "string"}}}},
                "responses": {
                    "Problem": {
                        "description": "A problem.",
                        "content": {"application/problem+json": {"schema": {}}},
                    }
                },
            },
            paths={
                "/acts": {
                    "post": {
                        "requestBody": {
                            "required": True,
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Act"}}
                            },
                        },
                        "responses": {
                            "default": {"$ref": "#/components/responses/Problem"},
                            "422": {"$ref": "#/components/responses/Problem"},
                            "201": {
                                "description": "Made.",
                                "content": {
                                    "application/json": {
                                        "schema": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Act"},
                                        }
                                    }
                                },
                            },
                        },
                    }
                }
            },
        )
    )
    (operation,) = found.operations
    assert operation.body is not None and operation.body.required
    (body,) = operation.body.contents
    assert body.shape is not None and body.shape.type == Type(ref="Act")
    assert [f.name for f in body.shape.fields] == ["what"]
    assert [r.status for r in operation.responses] == ["201", "422", "default"]
    made = operation.responses[0].contents[0].shape
    assert made is not None and made.type == Type(items=Type(ref="Act"))
    assert [f.name for f in made.fields] == ["what"]
    assert operation.responses[2].description == "A problem."
    assert operation.responses[2].contents[0].media_type == "application/problem+json"


def test_security_from_the_operation_or_the_document():
    found = outline(
        document(
            security=[{"token": []}],
            components={
                "securitySchemes": {
                    "token": {"type": "http", "scheme": "Bearer", "description": "A PAT."}
                }
            },
            paths={
                "/inherits": {"get": {}},
                "/scoped": {"get": {"security": [{"token": ["write"]}]}},
                "/public": {"get": {"security": []}},
                "/optional": {"get": {"security": [{"token": []}, {}]}},
            },
        )
    )
    security = {operation.path: operation.security for operation in found.operations}
    assert security["/inherits"] == ((Requirement("token", ()),),)
    assert security["/scoped"] == ((Requirement("token", ("write",)),),)
    assert security["/public"] == ()
    assert security["/optional"] == ()  # anyone may call it
    (scheme,) = found.schemes
    assert (scheme.name, scheme.type, scheme.scheme, scheme.description) == (
        "token",
        "http",
        "bearer",
        "A PAT.",
    )


def test_a_ref_cycle_or_a_broken_ref_does_not_hang_or_fail():
    found = outline(
        document(
            components={"responses": {"A": {"$ref": "#/components/responses/A"}}},
            paths={
                "/x": {
                    "get": {
                        "responses": {
                            "200": {"$ref": "#/components/responses/A"},
                            "404": {"$ref": "#/components/responses/Missing"},
                        }
                    }
                }
            },
        )
    )
    assert [(r.status, r.description) for r in found.operations[0].responses] == [
        ("200", ""),
        ("404", ""),
    ]


def test_a_shared_response_links_to_its_schema_instead_of_unfolding_it():
    problem = {"$ref": "#/components/schemas/Problem"}
    found = outline(
        document(
            components={
                "schemas": {"Problem": {"properties": {"title": {"type": "string"}}}},
                "responses": {
                    "Refused": {
                        "description": "Refused.",
                        "content": {"application/problem+json": {"schema": problem}},
                    }
                },
            },
            paths={
                "/acts": {
                    "get": {
                        "responses": {
                            "401": {"$ref": "#/components/responses/Refused"},
                            "418": {
                                "description": "Its own.",
                                "content": {"application/problem+json": {"schema": problem}},
                            },
                        }
                    }
                }
            },
        )
    )
    shared, own = (response.contents[0].shape for response in found.operations[0].responses)
    assert shared is not None and shared.type == Type(ref="Problem") and shared.fields == ()
    assert own is not None and [f.name for f in own.fields] == ["title"]
