"""Background jobs as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class JobRead(BaseModel):
    """A background job and its outcome."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    status: str = Field(
        description="queued, running, retrying, succeeded, failed (for good) or dead "
        "(retries exhausted)."
    )
    attempts: int = Field(description="Attempts the worker made.")
    duplicates: int = Field(description="Deliveries ignored because the job was already taken.")
    result: dict[str, Any] | None
    error: str | None = Field(description="The last failure, if any.")
    created_at: datetime
    finished_at: datetime | None
