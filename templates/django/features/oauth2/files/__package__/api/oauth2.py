"""`/auth/oauth2`: log in with OpenID Connect (code flow + PKCE) for this API's own JWT access
token and rotating refresh token (refresh and logout are in tokens.py)."""

from __future__ import annotations

import threading

from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from pydantic import BaseModel, Field

from ..config import get_settings
from ..errors import FieldError, InvalidRequestError, problem_response
from ..oidc_client import IssuerUnavailableError, OidcClient
from ..repositories.oidc import DjangoOidcRepository
from ..services.oidc import LOGIN_TTL, LoginConfig, OidcService
from ..services.tokens import IssuedTokens
from .common import Endpoint, atomic_unless, json_response, read_query
from .deps import rate_limit, token_service
from .tokens import to_token_pair

ISSUER_DOWN = "The identity provider is unavailable or misbehaving; try again later."
# Binds a login to the browser that started it: set by /login, required and cleared by the
# callback. HttpOnly, SameSite=Lax (sent on the issuer's top-level redirect back), sent only
# to the callback path, and gone when the login itself expires.
LOGIN_COOKIE = "oidc_login"
LOGIN_COOKIE_MAX = 128

_CLIENT: OidcClient | None = None
_CLIENT_LOCK = threading.Lock()


class CallbackParameters(BaseModel):
    """The issuer's redirect back: `state`, and `code` or `error`."""

    state: str = Field(min_length=1, max_length=512)
    code: str | None = Field(default=None, min_length=1, max_length=2048)
    error: str | None = Field(default=None, min_length=1, max_length=256)


def oidc_client() -> OidcClient:
    """One client per process, shared by the server's threads: it caches the issuer's discovery
    document and keys. Discovery is fetched at the first login, so the app starts without the
    issuer."""
    global _CLIENT  # noqa: PLW0603
    with _CLIENT_LOCK:
        if _CLIENT is None:
            settings = get_settings()
            _CLIENT = OidcClient(
                settings.oidc_discovery_url,
                settings.oidc_client_id,
                settings.oidc_client_secret,
                require_https=not settings.is_development,
            )
        return _CLIENT


def oidc_service() -> OidcService:
    settings = get_settings()
    config = LoginConfig(
        client_id=settings.oidc_client_id,
        redirect_uri=settings.oidc_redirect_uri,
        scopes=settings.oidc_scopes,
    )
    return OidcService(DjangoOidcRepository(), oidc_client(), config)


def _set_login_cookie(response: HttpResponse, value: str, max_age: int) -> None:
    response.set_cookie(
        LOGIN_COOKIE,
        value,
        max_age=max_age,
        path=reverse("oauth2-callback"),
        secure=not get_settings().is_development,
        httponly=True,
        samesite="Lax",
    )


def login(request: HttpRequest) -> HttpResponse:
    rate_limit(request, "login")
    try:
        started = atomic_unless(lambda: oidc_service().start_login())
    except IssuerUnavailableError:
        return problem_response(502, ISSUER_DOWN, instance=request.path)
    # No body: the contract documents a bare redirect.
    response = HttpResponse(status=302, headers={"Location": started.url})
    _set_login_cookie(response, started.browser_secret, int(LOGIN_TTL.total_seconds()))
    return response


def callback(request: HttpRequest) -> HttpResponse:
    rate_limit(request, "login")
    params = read_query(request, CallbackParameters)
    browser_secret = request.COOKIES.get(LOGIN_COOKIE)
    if browser_secret is not None and len(browser_secret) > LOGIN_COOKIE_MAX:
        message = f"String should have at most {LOGIN_COOKIE_MAX} characters"
        raise InvalidRequestError([FieldError(field=f"cookie.{LOGIN_COOKIE}", message=message)])

    def finish() -> IssuedTokens:
        user = oidc_service().finish_login(params.state, params.code, params.error, browser_secret)
        return token_service().issue(user.id)

    # A failed check spends the login all the same (LoginFailedError keeps the transaction's
    # writes); an unreachable issuer rolls back, so the login can be finished once it is back.
    try:
        issued = atomic_unless(finish)
    except IssuerUnavailableError:
        return problem_response(502, ISSUER_DOWN, instance=request.path)
    response = json_response(to_token_pair(issued))
    _set_login_cookie(response, "", 0)
    return response


urlpatterns = [
    path("auth/oauth2/login", Endpoint(get=login), name="oauth2-login"),
    path("auth/oauth2/callback", Endpoint(get=callback), name="oauth2-callback"),
]
