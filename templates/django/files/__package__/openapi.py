"""The HTTP contract: `openapi.yaml` at the project root, served as `GET /openapi.json`.

The document is not generated from the views: it is the contract every framework pack of this
generator serves (CONTRIBUTING.md explains), so it is read once and served as written, and a
test proves that the routes equal its operations.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.http import HttpRequest, HttpResponse

SPEC_FILE = Path(__file__).resolve().parent.parent / "openapi.yaml"


@lru_cache
def contract() -> dict[str, Any]:
    """The parsed document (read at the first request, then kept)."""
    spec: dict[str, Any] = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    return spec


@lru_cache
def _served() -> bytes:
    return json.dumps(contract(), ensure_ascii=False).encode()


def openapi_json(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_served(), content_type="application/json")
