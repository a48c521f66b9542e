"""`/auth/login`: a password login that issues a JWT access token and a rotating refresh token
(refresh and logout are in tokens.py)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from ..schemas.users import Credentials
from .common import Endpoint, json_response, read_body
from .deps import account_attempt, rate_limit, token_service, user_service
from .tokens import to_token_pair


def login(request: HttpRequest) -> HttpResponse:
    rate_limit(request, "login")
    body = read_body(request, Credentials)
    with account_attempt(body.email), transaction.atomic():
        user = user_service().authenticate(body.email, body.password)
        issued = token_service().issue(user.id)
    return json_response(to_token_pair(issued))


urlpatterns = [
    path("auth/login", Endpoint(post=login), name="login"),
]
