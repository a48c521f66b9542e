"""RFC 9457 problem responses: one format for every error the API returns."""

from __future__ import annotations

import logging
import re
from functools import cache
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from .db import is_lock_contention
from .logs import request_id_var
from .services.errors import (
    AuthenticationError,
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailedError,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Seconds a client should wait before retrying a request that lost a database lock race.
LOCK_RETRY_AFTER_SECONDS = 1
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

logger = logging.getLogger(__name__)

_STATUS_BY_ERROR: dict[type[DomainError], int] = {
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    ValidationFailedError: 422,
}


class FieldError(BaseModel):
    """One invalid input."""

    field: str = Field(description="Dotted path of the input, e.g. `title` or `query.limit`.")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    type: str = Field(default="about:blank", description="URI identifying the problem type.")
    title: str = Field(description="Short summary of the problem type.")
    status: int = Field(description="HTTP status code.")
    detail: str | None = Field(default=None, description="Explanation of this occurrence.")
    instance: str | None = Field(default=None, description="The request path.")
    request_id: str | None = Field(default=None, description="Echo of the X-Request-ID header.")
    errors: list[FieldError] | None = Field(default=None, description="Invalid inputs, if any.")


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    instance: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Build an `application/problem+json` response."""
    problem = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        request_id=request_id_var.get(),
        errors=errors,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


def _allowed_methods(request: Request) -> str:
    """The methods the published document lists for this path (Starlette names only the first
    route's). A concrete path (`/payments/webhook`) wins over a templated one
    (`/payments/{payment_id}`), as OpenAPI matches paths. Paths the document leaves out (`/docs`)
    get every method some route serves there."""
    path = request.url.path
    listed: list[tuple[int, dict[str, Any]]] = []
    for template, item in request.app.openapi().get("paths", {}).items():
        if _template_pattern(template).fullmatch(path):
            listed.append((template.count("{"), item))
    if listed:
        fewest = min(params for params, _ in listed)
        methods = {m.upper() for params, item in listed if params == fewest for m in item}
        return ", ".join(method for method in _METHODS if method in methods)
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes
        )
    )


@cache
def _template_pattern(template: str) -> re.Pattern[str]:
    """`/items/{item_id}` as a pattern that matches one path segment per parameter."""
    return re.compile(re.sub(r"\\{[^}/]+\\}", "[^/]+", re.escape(template)))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return problem_response(exc.status_code, detail, instance=request.url.path, headers=headers)


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    """Lock contention the database gave up on is a 503 to retry; anything else stays a 500."""
    assert isinstance(exc, DBAPIError)  # noqa: S101
    if not is_lock_contention(exc):
        raise exc
    logger.warning("database lock contention: %s", exc.orig)
    return problem_response(
        503,
        "The database is busy with other writes; retry shortly.",
        instance=request.url.path,
        headers={"Retry-After": str(LOCK_RETRY_AFTER_SECONDS)},
    )


async def _pool_timeout(request: Request, exc: Exception) -> JSONResponse:
    """No pooled connection freed up in time (a connection taken outside the request queue)."""
    logger.warning("database pool exhausted: %s", exc)
    return problem_response(
        503,
        "Every database connection is busy; retry shortly.",
        instance=request.url.path,
        headers={"Retry-After": str(LOCK_RETRY_AFTER_SECONDS)},
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    errors = [
        FieldError(field=_field_name(tuple(error.get("loc", ()))), message=str(error["msg"]))
        for error in exc.errors()
    ]
    return problem_response(
        422, "The request is not valid.", instance=request.url.path, errors=errors
    )


def install_error_handlers(app: FastAPI, *, auth_challenge: str | None = "Bearer") -> None:
    """Route every error the framework or the services raise to a problem response.

    `auth_challenge` is the `WWW-Authenticate` value of 401 responses (None: no header, as for
    cookie sessions, which have no standard challenge).
    """

    async def domain_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DomainError)  # noqa: S101
        status = next(code for kind, code in _STATUS_BY_ERROR.items() if isinstance(exc, kind))
        errors = None
        if isinstance(exc, ValidationFailedError):
            errors = [FieldError(field=exc.field, message=exc.message)]
        headers = None
        if status == 401 and auth_challenge:
            headers = {"WWW-Authenticate": auth_challenge}
        return problem_response(
            status, exc.message, instance=request.url.path, errors=errors, headers=headers
        )

    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(PoolTimeoutError, _pool_timeout)


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries documenting problem responses for an operation."""
    return {
        status: {"model": Problem, "description": HTTPStatus(status).phrase} for status in statuses
    }


def document_problems(spec: dict[str, Any]) -> dict[str, Any]:
    """Make the spec say what the handlers do.

    Error responses are `application/problem+json` with the `Problem` schema (FastAPI would
    announce `application/json` and its own validation schema), and operations without
    authentication say so explicitly with `security: []`. Every operation but liveness may
    find the database busy, hence 503 (the shared contract says the same).
    """
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for path, path_item in spec.get("paths", {}).items():
        for operation in path_item.values():
            operation.setdefault("security", [])
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation:
                # Unparseable bodies (400) and bodies over the size limit (413).
                responses.setdefault("400", {"description": HTTPStatus(400).phrase})
                responses.setdefault("413", {"description": HTTPStatus(413).phrase})
            if path != "/health/live":
                # No pooled connection in time, or a lock the database gave up on.
                responses.setdefault("503", {"description": HTTPStatus(503).phrase})
            for status, response in responses.items():
                if str(status)[0] in "45":
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}
    schemas = spec.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return spec
