"""RFC 9457 problem responses: one format for every error the API returns."""

from __future__ import annotations

import logging
from http import HTTPStatus

from flask import Flask, Response, current_app, has_request_context, request
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

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
MAX_BODY_BYTES = 1024 * 1024
# Seconds a client should wait before retrying a request that lost a database lock race.
LOCK_RETRY_AFTER_SECONDS = 1
# The methods the API serves, in the order `Allow` lists them (HEAD and OPTIONS are not part of
# the contract: werkzeug answers HEAD like GET, and OPTIONS is only a CORS preflight).
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

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


class RequestValidationError(Exception):
    """The request's path, query or body does not match its schema (422)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("invalid request")
        self.errors = errors


class ProblemError(Exception):
    """An answer decided before the endpoint runs: a rate limit (429), a busy database (503)."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Build an `application/problem+json` response."""
    problem = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.path if has_request_context() else None,
        request_id=request_id_var.get(),
        errors=errors,
    )
    return Response(
        problem.model_dump_json(exclude_none=True),
        status=status,
        mimetype=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _allowed_methods() -> str:
    """The methods served at this path, by the most specific rules that match it: a concrete
    path (`/payments/webhook`) wins over one with variables (`/payments/<payment_id>`), as OpenAPI
    matches paths, so `Allow` lists what the published document lists for the path."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    params: dict[str, int] = {}  # method -> variables of the rule that serves it
    for method in _METHODS:
        try:
            rule, _ = adapter.match(request.path, method=method, return_rule=True)
        except HTTPException:
            continue
        params[method] = len(rule.arguments)
    fewest = min(params.values(), default=0)
    return ", ".join(method for method in _METHODS if params.get(method) == fewest)


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    detail = HTTPStatus(status).phrase
    headers = {}
    if isinstance(exc, MethodNotAllowed):
        headers["Allow"] = _allowed_methods()
    if status == 413:
        detail = f"The request body exceeds {MAX_BODY_BYTES} bytes."
    return problem_response(status, detail, headers=headers)


def _validation_error(exc: RequestValidationError) -> Response:
    return problem_response(422, "The request is not valid.", errors=exc.errors)


def _problem_error(exc: ProblemError) -> Response:
    return problem_response(exc.status, exc.detail, headers=exc.headers)


def _unhandled(exc: Exception) -> Response:
    logger.error("unhandled error", exc_info=exc)
    return problem_response(500, "An unexpected error occurred.")


def _database_error(exc: DBAPIError) -> Response:
    """Lock contention the database gave up on is a 503 to retry; anything else stays a 500."""
    if not is_lock_contention(exc):
        return _unhandled(exc)
    logger.warning("database lock contention: %s", exc.orig)
    return problem_response(
        503,
        "The database is busy with other writes; retry shortly.",
        headers={"Retry-After": str(LOCK_RETRY_AFTER_SECONDS)},
    )


def _pool_timeout(exc: PoolTimeoutError) -> Response:
    """No pooled connection freed up within DB_POOL_TIMEOUT seconds."""
    logger.warning("database pool exhausted: %s", exc)
    return problem_response(
        503,
        "Every database connection is busy; retry shortly.",
        headers={"Retry-After": str(LOCK_RETRY_AFTER_SECONDS)},
    )


def install_error_handlers(app: Flask, *, auth_challenge: str | None = "Bearer") -> None:
    """Route every error the framework or the services raise to a problem response.

    `auth_challenge` is the `WWW-Authenticate` value of 401 responses (None: no header, as for
    cookie sessions, which have no standard challenge).
    """

    def domain_error(exc: DomainError) -> Response:
        status = next(code for kind, code in _STATUS_BY_ERROR.items() if isinstance(exc, kind))
        errors = None
        if isinstance(exc, ValidationFailedError):
            errors = [FieldError(field=exc.field, message=exc.message)]
        headers = None
        if status == 401 and auth_challenge:
            headers = {"WWW-Authenticate": auth_challenge}
        return problem_response(status, exc.message, errors=errors, headers=headers)

    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(RequestValidationError, _validation_error)
    app.register_error_handler(ProblemError, _problem_error)
    app.register_error_handler(DomainError, domain_error)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(PoolTimeoutError, _pool_timeout)
    app.register_error_handler(Exception, _unhandled)
