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
