"""`openapi.yaml` is what the app serves, valid, complete, and exactly the routes the app has."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from .contract import spec

METHODS = {"get", "post", "put", "patch", "delete"}
# Routes outside the contract: the document itself.
UNDOCUMENTED = {"/openapi.json"}


def test_served_document_is_the_file(client: FlaskClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == spec()


def test_spec_is_valid() -> None:
    validate(spec())


def routed_operations(app: Flask) -> set[tuple[str, str, str]]:
    """(method, path, view function name) of every route, paths written as in OpenAPI."""
    operations = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        if path in UNDOCUMENTED:
            continue
        view = app.view_functions[rule.endpoint].__name__
        for method in rule.methods or ():
            if method.lower() in METHODS:
                operations.add((method.lower(), path, view))
    return operations


def documented_operations() -> set[tuple[str, str, str]]:
    return {
        (method, path, operation["operationId"])
        for path, item in spec()["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def test_routes_are_exactly_the_documented_operations(app: Flask) -> None:
    """Same paths and methods, no more and no fewer, each view named after its operationId."""
    assert routed_operations(app) == documented_operations()


def test_every_operation_is_documented() -> None:
    for path, item in spec()["paths"].items():
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
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in operation["responses"], where
            if operation["security"]:
                assert "401" in operation["responses"], where


def test_request_bodies_state_what_the_server_refuses() -> None:
    """Every string a body takes is bounded and excludes NUL, as the shared schemas enforce."""
    document: dict[str, Any] = spec()
    names = {
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        for item in document["paths"].values()
        for method, operation in item.items()
        if method in METHODS
        and "application/json" in operation.get("requestBody", {}).get("content", {})
    }
    assert names
    for name in names:
        for field, prop in document["components"]["schemas"][name]["properties"].items():
            where = f"{name}.{field}"
            assert "anyOf" not in prop, where
            if prop["type"] == "string":
                assert "maxLength" in prop, where
                assert prop["pattern"] == r"^[^\x00]*$", where
