"""`/auth`: log in and out with a server-side session held in an HttpOnly cookie."""

from __future__ import annotations

from flask import Blueprint, Response, request

from ..schemas.sessions import SessionInfo
from ..schemas.users import Credentials
from .deps import (
    SESSION_COOKIE,
    account_attempts,
    context,
    current_session,
    rate_limit,
    session_service,
    unit_of_work,
    user_service,
)
from .validation import json_response, parse_body

router = Blueprint("sessions", __name__, url_prefix="/auth")


@router.post("/login")
@rate_limit("login")
def login() -> Response:
    data = parse_body(Credentials)
    with unit_of_work() as session:
        with account_attempts().attempt(data.email):
            user = user_service(session).authenticate(data.email, data.password)
        # A new session id at every login: a session planted before login is never upgraded.
        issued = session_service(session).start(user.id, request.cookies.get(SESSION_COOKIE))
    response = json_response(SessionInfo(csrf_token=issued.csrf_token, expires_in=issued.max_age))
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=issued.max_age,
        path="/",
        httponly=True,
        secure=not context().settings.is_development,
        samesite="Lax",
    )
    return response


@router.get("/session")
def get_session_info() -> Response:
    with unit_of_work() as session:
        current = current_session(session)
        sessions = session_service(session)
        body = SessionInfo(
            csrf_token=sessions.csrf_token(current.token), expires_in=sessions.seconds_left(current)
        )
    return json_response(body)


@router.post("/logout")
def logout() -> Response:
    with unit_of_work() as session:
        session_service(session).end(current_session(session).token)
    response = Response(status=204)
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        secure=not context().settings.is_development,
        samesite="Lax",
    )
    return response
