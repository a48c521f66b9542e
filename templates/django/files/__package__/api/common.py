"""What every view shares: method dispatch (405 with Allow), validated input, JSON output."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from pydantic import BaseModel, TypeAdapter, ValidationError

from ..errors import FieldError, InvalidRequestError, problem_response
from ..services.errors import DomainError

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Handler = Callable[..., HttpResponse]
JSON_MEDIA_TYPE = "application/json"


class Endpoint:
    """One path: a handler per HTTP method; any other method gets 405 with `Allow`."""

    def __init__(self, **handlers: Handler) -> None:
        self.handlers = {method.upper(): handler for method, handler in handlers.items()}

    @property
    def methods(self) -> list[str]:
        return sorted(self.handlers)

    def __call__(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        handler = self.handlers.get(request.method or "")
        if handler is None:
            return problem_response(
                405,
                f"{request.method} is not allowed here.",
                instance=request.path,
                headers={"Allow": ", ".join(self.methods)},
            )
        return handler(request, **kwargs)


def _errors(exc: ValidationError, prefix: str) -> list[FieldError]:
    errors = []
    for error in exc.errors(include_url=False):
        parts = [prefix] if prefix else []
        parts += [str(part) for part in error["loc"]]
        errors.append(FieldError(field=".".join(parts) or "body", message=error["msg"]))
    return errors


def read_body(request: HttpRequest, model: type[M]) -> M:
    """The JSON body as `model`; anything else (not JSON, wrong shape) is a 422 problem."""
    if request.content_type != JSON_MEDIA_TYPE:
        raise InvalidRequestError(
            [FieldError(field="body", message="must be JSON (Content-Type: application/json)")]
        )
    try:
        return model.model_validate_json(request.body)
    except ValidationError as exc:
        raise InvalidRequestError(_errors(exc, "")) from exc


def read_query(request: HttpRequest, model: type[M]) -> M:
    """The query string as `model` (unknown parameters are ignored, as the contract allows)."""
    values: Mapping[str, str] = {name: request.GET[name] for name in request.GET}
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise InvalidRequestError(_errors(exc, "query")) from exc


def read_path(name: str, value: str, adapter: TypeAdapter[T]) -> T:
    """A path parameter, validated like a query parameter (`path.NAME` in the errors)."""
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        raise InvalidRequestError(
            [FieldError(field=f"path.{name}", message=e["msg"]) for e in exc.errors()]
        ) from exc


def json_response(
    model: BaseModel, status: int = 200, headers: Mapping[str, str] | None = None
) -> HttpResponse:
    response = HttpResponse(model.model_dump_json(), status=status, content_type=JSON_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def no_content() -> HttpResponse:
    return HttpResponse(status=204)


def atomic_unless(work: Callable[[], T]) -> T:
    """Run `work` in one transaction. A DomainError rolls it back, except one that says its
    changes must be kept (`commit_transaction`, e.g. a revocation after a token reuse): then
    the transaction commits and the error is raised after."""
    kept: DomainError
    with transaction.atomic():
        try:
            return work()
        except DomainError as exc:
            if not exc.commit_transaction:
                raise
            kept = exc
    raise kept
