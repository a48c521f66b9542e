"""`/auth`: log in and out with a server-side session held in an HttpOnly cookie."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from ..config import get_settings
from ..schemas.sessions import SessionInfo
from ..schemas.users import Credentials
from .common import Endpoint, json_response, no_content, read_body
from .deps import (
    SESSION_COOKIE,
    account_attempt,
    current_session,
    rate_limit,
    session_service,
    user_service,
    writing_user,
)


def login(request: HttpRequest) -> HttpResponse:
    rate_limit(request, "login")
    body = read_body(request, Credentials)
    with account_attempt(body.email), transaction.atomic():
        user = user_service().authenticate(body.email, body.password)
        # A new session id at every login: a session planted before login is never upgraded.
        issued = session_service().start(user.id, request.COOKIES.get(SESSION_COOKIE))
    response = json_response(SessionInfo(csrf_token=issued.csrf_token, expires_in=issued.max_age))
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=issued.max_age,
        path="/",
        httponly=True,
        secure=not get_settings().is_development,
        samesite="Lax",
    )
    return response


def get_session_info(request: HttpRequest) -> HttpResponse:
    current = current_session(request)
    sessions = session_service()
    info = SessionInfo(
        csrf_token=sessions.csrf_token(current.token), expires_in=sessions.seconds_left(current)
    )
    return json_response(info)


def logout(request: HttpRequest) -> HttpResponse:
    writing_user(request)
    with transaction.atomic():
        session_service().end(current_session(request).token)
    response = no_content()
    response.delete_cookie(SESSION_COOKIE, path="/", samesite="Lax")
    return response


urlpatterns = [
    path("auth/login", Endpoint(post=login), name="login"),
    path("auth/session", Endpoint(get=get_session_info), name="session"),
    path("auth/logout", Endpoint(post=logout), name="logout"),
]
