"""`/auth`: refresh and log out with this API's own JWT access tokens and rotating refresh tokens,
whichever way the user logged in (a password with jwt, an identity provider with oauth2)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, status

from ..errors import problems
from ..schemas.auth import RefreshRequest, TokenPair
from ..services.tokens import IssuedTokens
from .deps import TokenServiceDep, rate_limit

router = APIRouter(prefix="/auth", tags=["auth"])


def to_token_pair(issued: IssuedTokens) -> TokenPair:
    return TokenPair(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
    )


@router.post(
    "/refresh",
    summary="Exchange a refresh token for a new token pair",
    response_model=TokenPair,
    responses=problems(401, 422, 429),
    dependencies=[Depends(rate_limit("refresh"))],
)
def refresh(body: RefreshRequest, tokens: TokenServiceDep) -> TokenPair:
    return to_token_pair(tokens.rotate(body.refresh_token))


@router.post(
    "/logout",
    summary="Log out (revoke the refresh token's family)",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(422),
)
def logout(body: RefreshRequest, tokens: TokenServiceDep) -> None:
    tokens.revoke(body.refresh_token)
