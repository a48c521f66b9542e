"""Bodies of the token endpoints."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from .common import Strict, Text

RefreshTokenText = Annotated[Text, Field(min_length=1, max_length=512)]


class TokenPair(BaseModel):
    """A short-lived access token and a rotating refresh token."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_in: int = Field(description="Seconds until the access token expires.")


class RefreshRequest(Strict):
    """A refresh token to exchange (refresh) or revoke (logout)."""

    refresh_token: RefreshTokenText
