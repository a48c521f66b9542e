"""The HTTP contract: `openapi.yaml`, read once at start-up and served as it is.

The document is not generated from the code: it is the contract every pack of the generator
serves (CONTRIBUTING.md says why), and `tests/test_openapi.py` proves that the routes are exactly
its operations and that responses match its schemas.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask import Response, jsonify

from .api.deps import context

SPEC_NAME = "openapi.yaml"


def spec_candidates() -> list[Path]:
    """Where the document is looked for: beside the package (a checkout or an editable install),
    then in the working directory (the container copies it to /app)."""
    package = Path(__file__).resolve().parent
    return [package / SPEC_NAME, package.parent / SPEC_NAME, Path.cwd() / SPEC_NAME]


def load_spec() -> dict[str, Any]:
    for candidate in spec_candidates():
        if candidate.is_file():
            return _parse(candidate, candidate.stat().st_mtime_ns)
    searched = ", ".join(str(path) for path in spec_candidates())
    raise RuntimeError(f"{SPEC_NAME} not found (looked in {searched})")


@cache
def _parse(path: Path, _mtime_ns: int) -> dict[str, Any]:
    """The parsed document, once per file version (every app a test builds reads it)."""
    spec: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return spec


def serve_openapi() -> Response:
    """GET /openapi.json: the contract, as read at start-up."""
    return jsonify(context().openapi)
