"""Phone verification requests and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from ..services.phone import CODE_DIGITS, parse_e164
from .common import Strict, Text

E164Phone = Annotated[
    Text,
    Field(
        min_length=3,
        max_length=16,
        description="A phone number in E.164 form: `+`, country code and number, no spaces.",
        examples=["+14155552671"],
        # Not a JSON Schema format: a name for clients (and the e2e fuzzer) to generate from.
        json_schema_extra={"format": "e164"},
    ),
    AfterValidator(parse_e164),
]
Code = Annotated[
    Text,
    Field(
        min_length=CODE_DIGITS,
        max_length=CODE_DIGITS,
        description="The 6-digit code (any other text is simply a wrong code).",
        examples=["123456"],
    ),
]


class PhoneVerificationRequest(Strict):
    """The number to verify."""

    phone: E164Phone


class PhoneCode(Strict):
    """The code the SMS carried."""

    code: Code


class PendingVerification(BaseModel):
    """A verification waiting for its code."""

    phone: str
    expires_at: datetime
    attempts_left: int
    delivery: str = Field(
        description="The SMS's status: `pending` until Twilio reports, then Twilio's status."
    )


class PhoneStatus(BaseModel):
    """Your verified number, if any, and the verification in progress, if any."""

    phone: str | None = Field(description="The verified number.")
    verified_at: datetime | None
    pending: PendingVerification | None
