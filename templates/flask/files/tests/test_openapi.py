"""`openapi.yaml` is what the app serves, valid, complete, and exactly the routes the app has."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from .contract import spec
from .openapi_rules import (
    METHODS,
    assert_every_operation_is_documented,
    assert_request_bodies_state_what_the_server_refuses,
    operations,
)

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
        (method, path, operation["operationId"]) for method, path, operation in operations(spec())
    }


def test_routes_are_exactly_the_documented_operations(app: Flask) -> None:
    """Same paths and methods, no more and no fewer, each view named after its operationId."""
    assert routed_operations(app) == documented_operations()


def test_every_operation_is_documented() -> None:
    assert_every_operation_is_documented(spec())


def test_request_bodies_state_what_the_server_refuses() -> None:
    assert_request_bodies_state_what_the_server_refuses(spec())
