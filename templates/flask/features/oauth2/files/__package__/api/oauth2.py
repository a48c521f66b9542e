"""`/auth/oauth2`: log in with OpenID Connect (code flow + PKCE) for this API's own JWT access
token and rotating refresh token (refresh and logout are in tokens.py)."""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ..errors import FieldError, ProblemError, RequestValidationError
from ..oidc_client import IssuerUnavailableError
from ..repositories.oidc import SqlOidcRepository
from ..services.oidc import LOGIN_TTL, LoginConfig, OidcService
from .deps import context, rate_limit, token_service, unit_of_work
from .tokens import to_token_pair
from .validation import json_response, parse_query

router = Blueprint("oauth2", __name__, url_prefix="/auth")

ISSUER_DOWN = "The identity provider is unavailable or misbehaving; try again later."
# Binds a login to the browser that started it: set by /login, required and cleared by the
# callback. HttpOnly, SameSite=Lax (sent on the issuer's top-level redirect back), sent only
# to the callback path, and gone when the login itself expires.
LOGIN_COOKIE = "oidc_login"
LOGIN_COOKIE_MAX = 128


class CallbackParameters(BaseModel):
    """The issuer's redirect back: `state`, and `code` or `error`."""

    state: str = Field(min_length=1, max_length=512)
    code: str | None = Field(default=None, min_length=1, max_length=2048)
    error: str | None = Field(default=None, min_length=1, max_length=256)


def oidc_service(session: Session) -> OidcService:
    app_context = context()
    settings = app_context.settings
    config = LoginConfig(
        client_id=settings.oidc_client_id,
        redirect_uri=settings.oidc_redirect_uri,
        scopes=settings.oidc_scopes,
    )
    return OidcService(SqlOidcRepository(session), app_context.oidc, config)


@router.get("/oauth2/login")
@rate_limit("login")
def oauth2_login() -> Response:
    with unit_of_work(write=True) as session:
        try:
            started = oidc_service(session).start_login()
        except IssuerUnavailableError as exc:
            raise ProblemError(502, ISSUER_DOWN) from exc
    # No body: the contract documents a bare redirect.
    response = Response(status=302, headers={"Location": started.url})
    response.set_cookie(
        LOGIN_COOKIE,
        started.browser_secret,
        max_age=int(LOGIN_TTL.total_seconds()),
        path=url_for(".oauth2_callback"),
        secure=not context().settings.is_development,
        httponly=True,
        samesite="Lax",
    )
    return response


@router.get("/oauth2/callback")
@rate_limit("login")
def oauth2_callback() -> Response:
    params = parse_query(CallbackParameters)
    browser_secret = request.cookies.get(LOGIN_COOKIE)
    if browser_secret is not None and len(browser_secret) > LOGIN_COOKIE_MAX:
        message = f"String should have at most {LOGIN_COOKIE_MAX} characters"
        raise RequestValidationError([FieldError(field=f"cookie.{LOGIN_COOKIE}", message=message)])
    with unit_of_work(write=True) as session:
        try:
            user = oidc_service(session).finish_login(
                params.state, params.code, params.error, browser_secret
            )
        except IssuerUnavailableError as exc:
            raise ProblemError(502, ISSUER_DOWN) from exc
        body = to_token_pair(token_service(session).issue(user.id))
    response = json_response(body)
    response.delete_cookie(
        LOGIN_COOKIE,
        path=url_for(".oauth2_callback"),
        secure=not context().settings.is_development,
        httponly=True,
        samesite="Lax",
    )
    return response
