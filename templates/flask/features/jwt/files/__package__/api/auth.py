"""`/auth/login`: a password login that issues a JWT access token and a rotating refresh token
(refresh and logout are in tokens.py)."""

from __future__ import annotations

from flask import Blueprint, Response

from ..schemas.users import Credentials
from .deps import account_attempts, rate_limit, token_service, unit_of_work, user_service
from .tokens import to_token_pair
from .validation import json_response, parse_body

router = Blueprint("auth", __name__, url_prefix="/auth")


@router.post("/login")
@rate_limit("login")
def login() -> Response:
    data = parse_body(Credentials)
    with unit_of_work() as session:
        with account_attempts().attempt(data.email):
            user = user_service(session).authenticate(data.email, data.password)
        body = to_token_pair(token_service(session).issue(user.id))
    return json_response(body)
