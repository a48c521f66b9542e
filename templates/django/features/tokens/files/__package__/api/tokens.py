"""`/auth`: refresh and log out with this API's own JWT access tokens and rotating refresh tokens,
whichever way the user logged in (a password with jwt, an identity provider with oauth2)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ..schemas.auth import RefreshRequest, TokenPair
from ..services.tokens import IssuedTokens
from .common import Endpoint, atomic_unless, json_response, no_content, read_body
from .deps import rate_limit, token_service


def to_token_pair(issued: IssuedTokens) -> TokenPair:
    return TokenPair(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
    )


def refresh(request: HttpRequest) -> HttpResponse:
    rate_limit(request, "refresh")
    body = read_body(request, RefreshRequest)
    # A detected reuse revokes the family and must stay revoked although the request fails.
    issued = atomic_unless(lambda: token_service().rotate(body.refresh_token))
    return json_response(to_token_pair(issued))


def logout(request: HttpRequest) -> HttpResponse:
    body = read_body(request, RefreshRequest)
    atomic_unless(lambda: token_service().revoke(body.refresh_token))
    return no_content()


urlpatterns = [
    path("auth/refresh", Endpoint(post=refresh), name="refresh"),
    path("auth/logout", Endpoint(post=logout), name="logout"),
]
