"""`/auth/login`: a password login that issues a JWT access token and a rotating refresh token
(refresh and logout are in tokens.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from ..errors import problems
from ..schemas.auth import TokenPair
from ..schemas.users import Credentials
from .deps import AccountAttemptsDep, TokenServiceDep, UserServiceDep, rate_limit
from .tokens import to_token_pair

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/login",
    summary="Log in",
    response_model=TokenPair,
    responses=problems(401, 422, 429),
    dependencies=[Depends(rate_limit("login"))],
)
def login(
    body: Credentials, users: UserServiceDep, tokens: TokenServiceDep, attempts: AccountAttemptsDep
) -> TokenPair:
    with attempts.attempt(body.email):
        user = users.authenticate(body.email, body.password)
    return to_token_pair(tokens.issue(user.id))
