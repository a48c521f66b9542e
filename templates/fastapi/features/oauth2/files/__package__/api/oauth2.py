"""`/auth/oauth2`: log in with OpenID Connect (code flow + PKCE) for this API's own JWT access
token and rotating refresh token (refresh and logout are in tokens.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Depends, HTTPException, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from ..errors import problems
from ..oidc_client import IssuerUnavailableError
from ..repositories.oidc import SqlOidcRepository
from ..schemas.auth import TokenPair
from ..services.oidc import LOGIN_TTL, LoginConfig, OidcService
from .deps import Context, SessionDep, TokenServiceDep, rate_limit, writes
from .tokens import to_token_pair

router = APIRouter(prefix="/auth", tags=["auth"])

ISSUER_DOWN = "The identity provider is unavailable or misbehaving; try again later."
# Binds a login to the browser that started it: set by /login, required and cleared by the
# callback. HttpOnly, SameSite=Lax (sent on the issuer's top-level redirect back), sent only
# to the callback path, and gone when the login itself expires.
LOGIN_COOKIE = "oidc_login"


def get_oidc_service(session: SessionDep, context: Context) -> OidcService:
    settings = context.settings
    config = LoginConfig(
        client_id=settings.oidc_client_id,
        redirect_uri=settings.oidc_redirect_uri,
        scopes=settings.oidc_scopes,
    )
    return OidcService(SqlOidcRepository(session), context.oidc, config)


OidcServiceDep = Annotated[OidcService, Depends(get_oidc_service)]


@router.get(
    "/oauth2/login",
    summary="Start an OpenID Connect login (redirects to the identity provider)",
    status_code=status.HTTP_302_FOUND,
    response_class=RedirectResponse,
    responses={
        302: {
            "description": "Redirect to the identity provider's authorization endpoint.",
            "headers": {
                "Location": {
                    "description": "Authorization request with state, nonce and an S256 "
                    "PKCE challenge.",
                    "schema": {"type": "string"},
                }
            },
        },
        **problems(429, 502),
    },
    dependencies=[Depends(rate_limit("login"))],
)
@writes
def oauth2_login(request: Request, oidc: OidcServiceDep, context: Context) -> RedirectResponse:
    try:
        started = oidc.start_login()
    except IssuerUnavailableError as exc:
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, ISSUER_DOWN) from exc
    response = RedirectResponse(started.url, status_code=status.HTTP_302_FOUND)
    response.set_cookie(
        LOGIN_COOKIE,
        started.browser_secret,
        max_age=int(LOGIN_TTL.total_seconds()),
        path=_callback_path(request),
        secure=not context.settings.is_development,
        httponly=True,
        samesite="lax",
    )
    return response


@router.get(
    "/oauth2/callback",
    summary="Finish an OpenID Connect login and receive a token pair",
    response_model=TokenPair,
    responses=problems(401, 409, 422, 429, 502),
    dependencies=[Depends(rate_limit("login"))],
)
@writes
def oauth2_callback(
    request: Request,
    response: Response,
    oidc: OidcServiceDep,
    tokens: TokenServiceDep,
    context: Context,
    state: Annotated[str, Query(min_length=1, max_length=512)],
    code: Annotated[str | None, Query(min_length=1, max_length=2048)] = None,
    error: Annotated[str | None, Query(min_length=1, max_length=256)] = None,
    oidc_login: Annotated[
        str | None,
        Cookie(
            max_length=128,
            description="Set by the login endpoint: the callback must come from the browser "
            "that started the login.",
        ),
    ] = None,
) -> TokenPair:
    try:
        user = oidc.finish_login(state, code, error, oidc_login)
    except IssuerUnavailableError as exc:
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, ISSUER_DOWN) from exc
    response.delete_cookie(
        LOGIN_COOKIE,
        path=_callback_path(request),
        secure=not context.settings.is_development,
        httponly=True,
        samesite="lax",
    )
    return to_token_pair(tokens.issue(user.id))


def _callback_path(request: Request) -> str:
    return request.url_for("oauth2_callback").path
