"""The contract (openapi.yaml) as a test oracle: every response the tests see is checked
against the status codes and schemas the document gives for its operation."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.http import HttpResponse
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_FILE = Path(__file__).resolve().parent.parent / "openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
_RESOURCE = "urn:contract"
_REGISTRY: Registry[Any] = Registry().with_resource(
    _RESOURCE, Resource.from_contents(SPEC, default_specification=DRAFT202012)
)


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    return [
        (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), path)
        for path in SPEC["paths"]
    ]


def operation(method: str, path: str) -> tuple[str, dict[str, Any]] | None:
    """The documented operation serving METHOD PATH, with its path template."""
    for pattern, template in _patterns():
        if pattern.match(path):
            found = SPEC["paths"][template].get(method.lower())
            return (template, found) if found is not None else None
    return None


def check(method: str, path: str, response: HttpResponse) -> None:
    """Fail unless the status is documented for the operation and the body fits its schema."""
    found = operation(method, path.split("?", 1)[0])
    if found is None:
        return  # an undocumented path or method: its 404 / 405 is checked by the tests
    template, op = found
    status = str(response.status_code)
    assert status in op["responses"], f"{method} {template}: {status} is not documented"
    content = op["responses"][status].get("content")
    if not content:
        return
    media = response["Content-Type"].split(";")[0].strip()
    assert media in content, f"{method} {template} {status}: {media} is not documented"
    schema = {"$ref": f"{_RESOURCE}#" + content[media]["schema"]["$ref"].removeprefix("#")}
    body = json.loads(response.content)
    Draft202012Validator(schema, registry=_REGISTRY).validate(body)
