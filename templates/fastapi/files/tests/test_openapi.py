"""`openapi.yaml` is the served spec, valid, and documents every operation completely."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI
from openapi_spec_validator import validate

SPEC_FILE = Path(__file__).resolve().parent.parent / "openapi.yaml"
METHODS = {"get", "post", "put", "patch", "delete"}


def served(app: FastAPI) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(json.dumps(app.openapi()))
    return spec


def test_file_equals_the_served_spec(app: FastAPI) -> None:
    committed = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    assert committed == served(app), "openapi.yaml is stale: run `make openapi`"


def test_spec_is_valid(app: FastAPI) -> None:
    validate(served(app))


def test_every_operation_is_documented(app: FastAPI) -> None:
    spec = served(app)
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {path}"
            assert operation.get("operationId"), where
            assert operation.get("summary"), where
            assert operation.get("tags"), where
            assert "security" in operation, where
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    schema = response["content"]["application/problem+json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Problem"}, where
            has_input = operation.get("parameters") or operation.get("requestBody")
            if has_input:
                assert "422" in operation["responses"], where
            if operation["security"]:
                assert "401" in operation["responses"], where


def request_schemas(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The component schemas that operations take as JSON request bodies, by name (a provider's
    form-encoded callback states its fields inline)."""
    names = {
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        for item in spec["paths"].values()
        for method, operation in item.items()
        if method in METHODS
        and "application/json" in operation.get("requestBody", {}).get("content", {})
    }
    return {name: spec["components"]["schemas"][name] for name in names}


def test_request_bodies_state_what_the_server_refuses(app: FastAPI) -> None:
    """Schema-driven clients and fuzzers build requests from these: every string is bounded and
    excludes NUL (the server refuses both), and no field is documented nullable (none accepts
    null; a PATCH field may be omitted instead)."""
    schemas = request_schemas(served(app))
    assert schemas
    for name, schema in schemas.items():
        for field, prop in schema["properties"].items():
            where = f"{name}.{field}"
            assert "anyOf" not in prop, where
            assert "default" not in prop or prop["default"] is not None, where
            if prop["type"] == "string":
                assert "maxLength" in prop, where
                assert prop["pattern"] == r"^[^\x00]*$", where
