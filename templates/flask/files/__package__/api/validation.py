"""Requests in, responses out: the shared pydantic schemas validate every input, so the rules
(lengths, ranges, unknown fields, NUL characters) are the same as in the contract."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Response, request
from pydantic import BaseModel, TypeAdapter, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import MAX_BODY_BYTES, FieldError, RequestValidationError

Model = TypeVar("Model", bound=BaseModel)
Value = TypeVar("Value")


def _errors(exc: ValidationError, prefix: str | None) -> list[FieldError]:
    errors = []
    for error in exc.errors(include_url=False, include_context=False):
        parts = [str(part) for part in error["loc"]]
        if prefix:
            parts.insert(0, prefix)
        errors.append(FieldError(field=".".join(parts) or "body", message=error["msg"]))
    return errors


def parse_body(model: type[Model]) -> Model:
    """The JSON body as `model` (422 with the invalid fields otherwise)."""
    if not request.is_json:
        message = "Input should be a JSON object sent as application/json"
        raise RequestValidationError([FieldError(field="body", message=message)])
    data = request.get_data(cache=False)
    if request.content_length is None and len(data) >= MAX_BODY_BYTES:
        # A streamed (chunked) body stops at the cap without an error (werkzeug's LimitedStream):
        # one that filled it is refused rather than parsed cut short.
        raise RequestEntityTooLarge
    try:
        return model.model_validate_json(data)
    except ValidationError as exc:
        raise RequestValidationError(_errors(exc, None)) from None


def parse_query(model: type[Model]) -> Model:
    """The query string as `model`; parameters it does not name are ignored."""
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise RequestValidationError(_errors(exc, "query")) from None


def parse_path(adapter: TypeAdapter[Value], name: str, value: Any) -> Value:
    """A path parameter, validated like a query parameter (422 when out of range)."""
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        errors = [FieldError(field=f"path.{name}", message=e["msg"]) for e in exc.errors()]
        raise RequestValidationError(errors) from None


def json_response(
    body: BaseModel, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        body.model_dump_json(), status=status, mimetype="application/json", headers=headers
    )
