"""Building blocks shared by the schemas."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field


def _storable(value: str) -> str:
    """Reject text no database can store: NUL characters and lone surrogates."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    return value


NO_NUL_PATTERN = r"^[^\x00]*$"

# The pattern only documents the NUL rule (for generated clients and schema-driven fuzzers);
# `_storable` enforces it, with a clearer message than a failed pattern match.
Text = Annotated[
    str, AfterValidator(_storable), Field(json_schema_extra={"pattern": NO_NUL_PATTERN})
]
"""A string that every supported database can store; add `Field(max_length=...)` to bound it."""


def _whole_number(value: object) -> object:
    """JSON has one number type: `55.0` is the integer 55, as JSON Schema counts it, while
    `55.5`, `"55"` and `true` stay what they are, so strict validation still refuses them."""
    if type(value) is float and value.is_integer():
        return int(value)
    return value


Integer = Annotated[int, BeforeValidator(_whole_number)]
"""An integer in a request body: any JSON number without a fractional part."""


class Strict(BaseModel):
    """Base for request bodies: unknown fields are rejected, not silently ignored, and values must
    have the JSON type the schema publishes (`"done": 0` or `"amount": "5"` is a 422, not a
    quiet conversion that a client reading the schema would not expect)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class PageMeta(BaseModel):
    """Where a page sits in the whole result."""

    total: int = Field(description="Number of matching rows across all pages.")
    limit: int
    offset: int
