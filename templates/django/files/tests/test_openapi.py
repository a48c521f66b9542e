"""`openapi.yaml` is valid, documents every operation, and the routes serve exactly its
operations: no more, no fewer."""

from __future__ import annotations

import re
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate

from .contract import SPEC
from .openapi_rules import (
    assert_every_operation_is_documented,
    assert_request_bodies_state_what_the_server_refuses,
    operations,
)

# Infrastructure routes outside the contract.
NOT_IN_CONTRACT = {"/openapi.json"}
# Whole trees outside the contract: Django's admin for staff (HTML, when the project has it).
NOT_IN_CONTRACT_PREFIXES = ("/admin/",)


def routes(patterns: list[Any] | None = None, prefix: str = "") -> set[tuple[str, str]]:
    """(METHOD, /path/{param}) for every method every route serves."""
    found: set[tuple[str, str]] = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if ("/" + route).startswith(NOT_IN_CONTRACT_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            found |= routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
            for method in getattr(entry.callback, "methods", []):
                found.add((method, path))
    return found


def test_the_routes_serve_exactly_the_documented_operations() -> None:
    documented = {(method.upper(), path) for method, path, _ in operations(SPEC)}
    served = {(method, path) for method, path in routes() if path not in NOT_IN_CONTRACT}
    assert served == documented


def test_spec_is_valid() -> None:
    validate(SPEC)


def test_every_operation_is_documented() -> None:
    assert_every_operation_is_documented(SPEC)


def test_request_bodies_state_what_the_server_refuses() -> None:
    assert_request_bodies_state_what_the_server_refuses(SPEC)
