"""An OpenAPI 3.1 document as plain data for the reference page: its operations
by tag, each with its parameters, request body, responses and authentication,
and the named schemas they point to.

No Flask and no words: the page template says everything in the reader's
language; the spec's own texts (summaries, descriptions) are shown as written.
JSON Schema keywords (``maxLength``, ``format``...) stay as they are, the terms
developers look up.
"""

import json
from dataclasses import dataclass
from typing import Any

METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
SCHEMA_PREFIX = "#/components/schemas/"
# Keywords shown beside a type, in this order; the type keywords themselves are the type.
CONSTRAINTS = (
    "format",
    "enum",
    "const",
    "default",
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "readOnly",
    "writeOnly",
    "deprecated",
)
# Inline objects inside inline objects are unfolded this deep, then named "object".
MAX_DEPTH = 4


@dataclass(frozen=True)
class Type:
    """What a value is: a plain type ("string", "integer | null"), a named schema
    (``ref``), an array of ``items``, or one of ``variants``."""

    name: str = ""
    ref: str = ""
    items: "Type | None" = None
    variants: tuple["Type", ...] = ()
    nullable: bool = False


@dataclass(frozen=True)
class Field:
    name: str
    type: Type
    required: bool
    description: str
    constraints: tuple[tuple[str, str], ...]
    fields: tuple["Field", ...] = ()  # an inline object's own fields


@dataclass(frozen=True)
class Shape:
    """A schema as shown: its type, its constraints, and its fields when it is
    (or names, or is an array of) an object."""

    type: Type
    description: str = ""
    constraints: tuple[tuple[str, str], ...] = ()
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path, query, header, cookie
    required: bool
    description: str
    shape: Shape


@dataclass(frozen=True)
class Content:
    media_type: str
    shape: Shape | None


@dataclass(frozen=True)
class Body:
    required: bool
    description: str
    contents: tuple[Content, ...]


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    contents: tuple[Content, ...]


@dataclass(frozen=True)
class Requirement:
    """One way to be let in: a security scheme and the scopes it must carry."""

    scheme: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]
    # Any one of these lets a request in; none at all: no token is needed.
    security: tuple[tuple[Requirement, ...], ...]


@dataclass(frozen=True)
class Group:
    name: str
    description: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class Scheme:
    name: str
    type: str  # http, apiKey, oauth2, openIdConnect, mutualTLS
    scheme: str  # for http: bearer, basic...
    bearer_format: str
    location: str  # for apiKey: header, query, cookie
    parameter: str  # for apiKey: the header's (or parameter's) name
    description: str


@dataclass(frozen=True)
class Outline:
    title: str
    version: str
    openapi: str
    description: str
    groups: tuple[Group, ...]
    schemes: tuple[Scheme, ...]
    schemas: tuple[tuple[str, Shape], ...]

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(operation for group in self.groups for operation in group.operations)


def outline(spec: dict[str, Any]) -> Outline:
    """The reference page's data, read from an OpenAPI document (a dict)."""
    reader = _Reader(spec)
    info = spec.get("info", {})
    components = spec.get("components", {})
    return Outline(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        openapi=str(spec.get("openapi", "")),
        description=str(info.get("description", "")),
        groups=reader.groups(),
        schemes=tuple(
            _scheme(name, reader.resolve(scheme))
            for name, scheme in sorted(components.get("securitySchemes", {}).items())
        ),
        schemas=tuple(
            (name, reader.shape(schema, unfold_refs=False))
            for name, schema in sorted(components.get("schemas", {}).items())
        ),
    )


def anchor(method: str, path: str) -> str:
    """A fragment id made of the method and path: ``get-api-v1-acts-act_id``."""
    words = "".join(c if c.isalnum() or c == "_" else "-" for c in f"{method}-{path}")
    return "-".join(part for part in words.split("-") if part)


class _Reader:
    def __init__(self, spec: dict[str, Any]):
        self.spec = spec

    def resolve(self, node: Any) -> Any:
        """Follow a local ``$ref`` (of a parameter, response, body or scheme) to its target."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 10:
            target: Any = self.spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
            node, seen = target, seen + 1
        return node if isinstance(node, dict) else {}

    def groups(self) -> tuple[Group, ...]:
        by_tag: dict[str, list[Operation]] = {}
        for path, item in self.spec.get("paths", {}).items():
            item = self.resolve(item)
            shared = item.get("parameters", [])
            for method in METHODS:
                if method in item:
                    # Under its first tag only: an operation is shown (and anchored) once.
                    tag = (item[method].get("tags") or [""])[0]
                    by_tag.setdefault(tag, []).append(
                        self.operation(method, path, item[method], shared)
                    )
        described = {tag.get("name"): tag for tag in self.spec.get("tags", [])}
        # Tags in the document's order first, then any only the operations name.
        order = [name for name in described if name in by_tag]
        order += [name for name in by_tag if name not in described]
        return tuple(
            Group(
                name=name,
                description=str(described.get(name, {}).get("description", "")),
                operations=tuple(by_tag[name]),
            )
            for name in order
        )

    def operation(
        self, method: str, path: str, node: dict[str, Any], shared: list[Any]
    ) -> Operation:
        # An operation's parameter replaces the path item's of the same name and place.
        parameters: dict[tuple[str, str], dict[str, Any]] = {}
        for parameter in [*shared, *node.get("parameters", [])]:
            parameter = self.resolve(parameter)
            parameters[(parameter.get("name", ""), parameter.get("in", ""))] = parameter
        body = self.resolve(node["requestBody"]) if "requestBody" in node else None
        security = node.get("security", self.spec.get("security", []))
        return Operation(
            anchor=anchor(method, path),
            method=method.upper(),
            path=path,
            summary=str(node.get("summary", "")),
            description=str(node.get("description", "")),
            deprecated=bool(node.get("deprecated", False)),
            parameters=tuple(self.parameter(p) for p in parameters.values()),
            body=None
            if body is None
            else Body(
                required=bool(body.get("required", False)),
                description=str(body.get("description", "")),
                contents=self.contents(body.get("content", {})),
            ),
            responses=tuple(
                self.response(status, response)
                for status, response in sorted(
                    node.get("responses", {}).items(), key=lambda item: _status_order(item[0])
                )
            ),
            # An empty option ({}) lets anyone in: then the operation needs no token.
            security=tuple(
                tuple(Requirement(name, tuple(scopes)) for name, scopes in option.items())
                for option in security
            )
            if all(security)
            else (),
        )

    def parameter(self, node: dict[str, Any]) -> Parameter:
        schema = node.get("schema")
        if schema is None:  # described by content instead (rare): its first media type
            content: dict[str, Any] = node.get("content", {})
            first: dict[str, Any] = next(iter(content.values()), {})
            schema = first.get("schema", {})
        return Parameter(
            name=str(node.get("name", "")),
            location=str(node.get("in", "")),
            required=bool(node.get("required", node.get("in") == "path")),
            description=str(node.get("description", "")),
            shape=self.shape(schema),
        )

    def response(self, status: str, node: Any) -> Response:
        # A shared response (the refusals every operation lists) links to its
        # schema instead of unfolding it again under each operation.
        shared = isinstance(node, dict) and "$ref" in node
        node = self.resolve(node)
        return Response(
            status=str(status),
            description=str(node.get("description", "")),
            contents=self.contents(node.get("content", {}), unfold_refs=not shared),
        )

    def contents(self, content: dict[str, Any], *, unfold_refs: bool = True) -> tuple[Content, ...]:
        return tuple(
            Content(
                media_type=media_type,
                shape=(
                    self.shape(media["schema"], unfold_refs=unfold_refs)
                    if "schema" in media
                    else None
                ),
            )
            for media_type, media in content.items()
        )

    def shape(self, schema: Any, *, unfold_refs: bool = True) -> Shape:
        """A schema with its fields. A body or response that names a schema (or is
        an array of one) shows that schema's fields too; fields that name one link to it."""
        if not isinstance(schema, dict):
            return Shape(type=Type(name="any"))
        target = schema
        if unfold_refs:
            target = self.named(schema) or self.named(schema.get("items")) or schema
        return Shape(
            type=self.type(schema),
            description=str(schema.get("description", "")),
            constraints=_constraints(schema),
            fields=self.fields(target, depth=1),
        )

    def named(self, schema: Any) -> dict[str, Any] | None:
        if isinstance(schema, dict) and str(schema.get("$ref", "")).startswith(SCHEMA_PREFIX):
            found = self.resolve(schema)
            return found or None
        return None

    def fields(self, schema: dict[str, Any], depth: int) -> tuple[Field, ...]:
        if depth > MAX_DEPTH:
            return ()
        properties = dict(schema.get("properties", {}))
        required = set(schema.get("required", []))
        for part in schema.get("allOf", []):  # merged, as a reader would read them
            part = self.named(part) or part
            properties.update(part.get("properties", {}))
            required.update(part.get("required", []))
        return tuple(
            Field(
                name=name,
                type=self.type(node),
                required=name in required,
                description=str(node.get("description", "")) if isinstance(node, dict) else "",
                constraints=_constraints(node),
                fields=self.inline_fields(node, depth + 1),
            )
            for name, node in properties.items()
        )

    def inline_fields(self, node: Any, depth: int) -> tuple[Field, ...]:
        """The fields of an inline object (or array of one); named schemas are linked instead."""
        if not isinstance(node, dict) or "$ref" in node:
            return ()
        items = node.get("items")
        if isinstance(items, dict) and "$ref" not in items and "properties" in items:
            return self.fields(items, depth)
        return self.fields(node, depth) if "properties" in node else ()

    def type(self, schema: Any) -> Type:
        if not isinstance(schema, dict):
            return Type(name="any")
        ref = str(schema.get("$ref", ""))
        if ref.startswith(SCHEMA_PREFIX):
            return Type(ref=ref.removeprefix(SCHEMA_PREFIX).replace("~1", "/"))
        for keyword in ("oneOf", "anyOf"):
            if keyword in schema:
                variants = tuple(self.type(variant) for variant in schema[keyword])
                plain = tuple(v for v in variants if v.name != "null")
                nullable = len(plain) < len(variants)
                if len(plain) == 1:
                    return _with_null(plain[0], nullable)
                return Type(variants=plain, nullable=nullable)
        if "allOf" in schema and len(schema["allOf"]) == 1:
            return self.type(schema["allOf"][0])
        declared = schema.get("type", "object" if "properties" in schema else "")
        names = [declared] if isinstance(declared, str) else list(declared)
        nullable = "null" in names or bool(schema.get("nullable", False))
        names = [name for name in names if name != "null"]
        if names == ["array"]:
            return Type(items=self.type(schema.get("items", {})), nullable=nullable)
        if not names:
            return Type(name="null" if nullable else "any")
        return Type(name=" | ".join(names), nullable=nullable)


def _with_null(found: Type, nullable: bool) -> Type:
    if not nullable or found.nullable:
        return found
    return Type(found.name, found.ref, found.items, found.variants, nullable=True)


def _constraints(schema: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(schema, dict):
        return ()
    found = []
    for keyword in CONSTRAINTS:
        if keyword not in schema:
            continue
        value = schema[keyword]
        if value is True:
            found.append((keyword, ""))
        elif value is not False:
            if keyword == "enum":
                shown = ", ".join(json.dumps(choice, ensure_ascii=False) for choice in value)
            elif keyword in {"format", "pattern"}:
                shown = str(value)
            else:
                shown = json.dumps(value, ensure_ascii=False)
            found.append((keyword, shown))
    return tuple(found)


def _scheme(name: str, node: dict[str, Any]) -> Scheme:
    return Scheme(
        name=name,
        type=str(node.get("type", "")),
        scheme=str(node.get("scheme", "")).lower(),
        bearer_format=str(node.get("bearerFormat", "")),
        location=str(node.get("in", "")),
        parameter=str(node.get("name", "")),
        description=str(node.get("description", "")),
    )


def _status_order(status: str) -> tuple[int, str]:
    """2XX before 4XX before "default", as a reader expects them."""
    return (0 if status[:1].isdigit() else 1, status)
