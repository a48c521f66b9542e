"""Every response the tests see is checked against openapi.yaml: a documented status, and a body
that validates against the documented schema of that status and media type."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from werkzeug.test import TestResponse

SPEC_FILE = Path(__file__).resolve().parent.parent / "openapi.yaml"
# Any operation may answer a fault (500, a problem) whether or not the contract lists it. A busy
# database (503 + Retry-After) is documented on every operation but /health/live.
SERVER_TROUBLE = {"500"}
_PROBLEM = {"$ref": "#/components/schemas/Problem"}


@cache
def spec() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    return document


@cache
def _path_patterns() -> list[tuple[re.Pattern[str], str]]:
    """Concrete paths first (`/payments/webhook` before `/payments/{payment_id}`), as OpenAPI
    matches them."""
    return [
        (re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"), path)
        for path in sorted(spec()["paths"], key=lambda path: path.count("{"))
    ]


def operation(method: str, path: str) -> dict[str, Any] | None:
    """The contract's operation for a request, or None when the contract has none (a route the
    tests add themselves, /openapi.json, or a path that is a 404)."""
    for pattern, template in _path_patterns():
        if pattern.match(path):
            found: dict[str, Any] | None = spec()["paths"][template].get(method.lower())
            return found
    return None


@cache
def _validator(method: str, template_path: str, status: str, media: str) -> Draft202012Validator:
    schema = spec()["paths"][template_path][method]["responses"][status]["content"][media]
    return Draft202012Validator({**schema["schema"], "components": spec()["components"]})


def check_response(method: str, path: str, response: TestResponse) -> None:
    found = operation(method, path)
    if found is None:
        return
    template = next(t for pattern, t in _path_patterns() if pattern.match(path))
    status = str(response.status_code)
    where = f"{method} {path} answered {status}"
    if status in SERVER_TROUBLE and status not in found["responses"]:
        assert response.mimetype == "application/problem+json", where
        problem = Draft202012Validator({**_PROBLEM, "components": spec()["components"]})
        assert not list(problem.iter_errors(response.get_json())), where
        return
    assert status in found["responses"], f"{where}, which the contract does not document"
    content = found["responses"][status].get("content")
    if not content:
        assert not response.data, f"{where} with a body the contract does not document"
        return
    assert response.mimetype in content, f"{where} as {response.mimetype}, not {list(content)}"
    validator = _validator(method.lower(), template, status, response.mimetype)
    errors = [error.message for error in validator.iter_errors(response.get_json())]
    assert not errors, f"{where} with a body outside its schema: {errors}"


class ContractClient(FlaskClient):
    """A test client that holds the app to the contract on every response."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        response = super().open(*args, **kwargs)
        if response.request is not None:
            check_response(response.request.method, response.request.path, response)
        return response
