"""`openapi.yaml` is the served spec, valid, and documents every operation completely."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI
from openapi_spec_validator import validate

from .openapi_rules import (
    assert_every_operation_is_documented,
    assert_request_bodies_state_what_the_server_refuses,
)

SPEC_FILE = Path(__file__).resolve().parent.parent / "openapi.yaml"


def served(app: FastAPI) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(json.dumps(app.openapi()))
    return spec


def test_file_equals_the_served_spec(app: FastAPI) -> None:
    committed = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    assert committed == served(app), "openapi.yaml is stale: run `make openapi`"


def test_spec_is_valid(app: FastAPI) -> None:
    validate(served(app))


def test_every_operation_is_documented(app: FastAPI) -> None:
    assert_every_operation_is_documented(served(app))


def test_request_bodies_state_what_the_server_refuses(app: FastAPI) -> None:
    assert_request_bodies_state_what_the_server_refuses(served(app))
