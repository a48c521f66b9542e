"""`/auth`: refresh and log out with this API's own JWT access tokens and rotating refresh tokens,
whichever way the user logged in (a password with jwt, an identity provider with oauth2)."""

from __future__ import annotations

from flask import Blueprint, Response

from ..schemas.auth import RefreshRequest, TokenPair
from ..services.tokens import IssuedTokens
from .deps import rate_limit, token_service, unit_of_work
from .validation import json_response, parse_body

router = Blueprint("tokens", __name__, url_prefix="/auth")


def to_token_pair(issued: IssuedTokens) -> TokenPair:
    return TokenPair(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
    )


@router.post("/refresh")
@rate_limit("refresh")
def refresh() -> Response:
    data = parse_body(RefreshRequest)
    with unit_of_work() as session:
        body = to_token_pair(token_service(session).rotate(data.refresh_token))
    return json_response(body)


@router.post("/logout")
def logout() -> Response:
    data = parse_body(RefreshRequest)
    with unit_of_work() as session:
        token_service(session).revoke(data.refresh_token)
    return Response(status=204)
