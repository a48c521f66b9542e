"""What `openapi.yaml` states about every operation, checked the same way whichever framework
serves it: the rules schema-driven clients and fuzzers rely on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

METHODS = frozenset({"get", "post", "put", "patch", "delete"})


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) for every operation of the document."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def assert_every_operation_is_documented(spec: dict[str, Any]) -> None:
    """Each operation has an id, a summary, tags and a security statement; its 4xx and 5xx
    answers are problem documents; one that takes input documents 422, one that needs
    credentials 401."""
    for method, path, operation in operations(spec):
        where = f"{method.upper()} {path}"
        assert operation.get("operationId"), where
        assert operation.get("summary"), where
        assert operation.get("tags"), where
        assert "security" in operation, where
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                schema = response["content"]["application/problem+json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}, where
        if operation.get("parameters") or operation.get("requestBody"):
            assert "422" in operation["responses"], where
        if operation["security"]:
            assert "401" in operation["responses"], where


def request_schemas(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The component schemas that operations take as JSON request bodies, by name (a provider's
    form-encoded callback states its fields inline)."""
    names = {
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        for _, _, operation in operations(spec)
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    }
    return {name: spec["components"]["schemas"][name] for name in names}


def assert_request_bodies_state_what_the_server_refuses(spec: dict[str, Any]) -> None:
    """Every string a body takes is bounded and excludes NUL (the server refuses both), and no
    field is documented nullable (none accepts null; a PATCH field may be omitted instead)."""
    schemas = request_schemas(spec)
    assert schemas
    for name, schema in schemas.items():
        for field, prop in schema["properties"].items():
            where = f"{name}.{field}"
            assert "anyOf" not in prop, where
            assert "default" not in prop or prop["default"] is not None, where
            if prop["type"] == "string":
                assert "maxLength" in prop, where
                # The NUL rule's own pattern, or a narrower one that refuses NUL too.
                assert re.search(prop["pattern"], "a\x00b") is None, where
