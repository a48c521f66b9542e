"""`/auth`: log in and out with a server-side session held in an HttpOnly cookie."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response, status

from ..errors import problems
from ..schemas.sessions import SessionInfo
from ..schemas.users import Credentials
from ..services.sessions import IssuedSession
from .deps import (
    SESSION_COOKIE,
    AccountAttemptsDep,
    Context,
    CurrentSession,
    SessionServiceDep,
    UserServiceDep,
    rate_limit,
)

router = APIRouter(prefix="/auth", tags=["auth"])


def _set_cookie(response: Response, issued: IssuedSession, *, secure: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=issued.max_age,
        path="/",
        httponly=True,
        secure=secure,
        samesite="lax",
    )


@router.post(
    "/login",
    summary="Log in (sets the session cookie)",
    response_model=SessionInfo,
    responses=problems(401, 422, 429),
    dependencies=[Depends(rate_limit("login"))],
)
def login(
    body: Credentials,
    users: UserServiceDep,
    sessions: SessionServiceDep,
    context: Context,
    request: Request,
    response: Response,
    attempts: AccountAttemptsDep,
) -> SessionInfo:
    with attempts.attempt(body.email):
        user = users.authenticate(body.email, body.password)
    # A new session id at every login: a session planted before login is never upgraded.
    issued = sessions.start(user.id, request.cookies.get(SESSION_COOKIE))
    _set_cookie(response, issued, secure=not context.settings.is_development)
    return SessionInfo(csrf_token=issued.csrf_token, expires_in=issued.max_age)


@router.get(
    "/session",
    summary="Get the current session's CSRF token",
    response_model=SessionInfo,
    responses=problems(401),
)
def get_session_info(current: CurrentSession, sessions: SessionServiceDep) -> SessionInfo:
    return SessionInfo(
        csrf_token=sessions.csrf_token(current.token), expires_in=sessions.seconds_left(current)
    )


@router.post(
    "/logout",
    summary="Log out (ends the session)",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 403),
)
def logout(
    current: CurrentSession, sessions: SessionServiceDep, context: Context, response: Response
) -> None:
    sessions.end(current.token)
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        secure=not context.settings.is_development,
        samesite="lax",
    )
