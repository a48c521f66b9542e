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


# sms_messages.id is an INTEGER column: 32-bit signed on PostgreSQL and MySQL.
MAX_MESSAGE_ID = 2**31 - 1


class StatusReport(BaseModel):
    """The fields of Twilio's status callback this service uses (Twilio sends more)."""

    MessageSid: str = Field(min_length=2, max_length=64, pattern=r"^[A-Z]{2}[0-9a-fA-F]+$")
    MessageStatus: str = Field(min_length=1, max_length=16)
    ErrorCode: str | None = Field(default=None, max_length=16)


class StatusQuery(BaseModel):
    """The callback URL's query: which of our messages the report is about."""

    message: int = Field(ge=1, le=MAX_MESSAGE_ID)
