"""Bodies of the session endpoints."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SessionInfo(BaseModel):
    """The CSRF token to echo in `X-CSRF-Token` on POST, PUT, PATCH and DELETE requests."""

    csrf_token: str
    expires_in: int = Field(description="Seconds until the session expires.")
