"""Bodies of the `payments` endpoints."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..models.payment import STRIPE_ID_MAX
from ..services.payments import Outcome
from .common import Integer, Strict, Text

# Stripe's own ceiling for one charge: eight digits in the currency's smallest unit.
AMOUNT_MAX = 99_999_999
_CURRENCY = re.compile(r"[a-z]{3}")


def _currency(value: str) -> str:
    # Checked here for its message; the schema publishes the same rule as its pattern, so that
    # every value the schema allows is accepted (three lower-case letters hold no NUL either).
    if not _CURRENCY.fullmatch(value):
        raise ValueError("must be a three-letter ISO 4217 code in lower case, e.g. usd")
    return value


Currency = Annotated[
    str,
    Field(
        min_length=3,
        max_length=3,
        description="Three-letter ISO 4217 code, lower case, e.g. `usd`.",
        json_schema_extra={"pattern": _CURRENCY.pattern.join("^$")},
    ),
    AfterValidator(_currency),
]


class PaymentCreate(Strict):
    """A payment to start: an amount in a currency."""

    amount: Integer = Field(
        ge=1, le=AMOUNT_MAX, description="In the currency's smallest unit, e.g. cents: 1000 = $10."
    )
    currency: Currency


class PaymentRead(BaseModel):
    """A payment as the API returns it: its state as Stripe's webhooks last reported it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    stripe_id: str = Field(description="The Stripe PaymentIntent's id (`pi_...`).")
    amount: int
    currency: str
    status: str = Field(
        description="The PaymentIntent's status: requires_payment_method, requires_action, "
        "processing, requires_capture, succeeded, canceled ..."
    )
    last_error: str | None = Field(description="Why the last attempt failed, if it did.")
    created_at: datetime
    updated_at: datetime


class PaymentStarted(PaymentRead):
    """A started payment, with what the payer's browser needs to confirm it (Stripe.js)."""

    client_secret: str | None = Field(
        description="Pass to Stripe.js `confirmPayment`; give it to the payer only."
    )


class StripeEventPayload(BaseModel):
    """A Stripe event as Stripe sends it (the fields read here; the others are ignored)."""

    id: Annotated[Text, Field(min_length=1, max_length=STRIPE_ID_MAX)]
    type: Annotated[Text, Field(min_length=1, max_length=100)]
    created: int = Field(ge=0, description="When the event happened (Unix seconds).")
    data: dict[str, Any] = Field(
        description="`object`: what the event is about, a PaymentIntent for `payment_intent.*`."
    )

    def subject(self) -> dict[str, Any]:
        """`data.object`, or an empty mapping when Stripe sent none."""
        subject = self.data.get("object")
        return subject if isinstance(subject, dict) else {}


class WebhookReceipt(BaseModel):
    """What became of a Stripe event (Stripe only needs the 200)."""

    event_id: str
    outcome: Outcome = Field(
        description="`applied`; `duplicate` (already processed: nothing changed); `stale` (older "
        "than the state already recorded); `unknown_payment`; `ignored` (a type not handled)."
    )
