"""RFC 9457 problem responses: one format for every error the API returns."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

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


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(
        exc.status_code, detail, instance=request.url.path, headers=dict(exc.headers or {})
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


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries documenting problem responses for an operation."""
    return {
        status: {"model": Problem, "description": HTTPStatus(status).phrase} for status in statuses
    }


def document_problems(spec: dict[str, Any]) -> dict[str, Any]:
    """Make the spec say what the handlers do.

    Error responses are `application/problem+json` with the `Problem` schema (FastAPI would
    announce `application/json` and its own validation schema), and operations without
    authentication say so explicitly with `security: []`.
    """
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for path_item in spec.get("paths", {}).values():
        for operation in path_item.values():
            operation.setdefault("security", [])
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation:
                # Unparseable bodies (400) and bodies over the size limit (413).
                responses.setdefault("400", {"description": HTTPStatus(400).phrase})
                responses.setdefault("413", {"description": HTTPStatus(413).phrase})
            for status, response in responses.items():
                if str(status)[0] in "45":
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}
    schemas = spec.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return spec
