"""`/users/me/phone`: verify a phone number with a texted code."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from ..config import get_settings
from ..errors import TooManyAttemptsError, problem_response
from ..models.user import User
from ..ratelimit import Rate
from ..repositories.phone import DjangoPhoneRepository
from ..schemas.phone import PendingVerification, PhoneCode, PhoneStatus, PhoneVerificationRequest
from ..services.phone import CodeAttemptsExhaustedError, PhoneService, WrongCodeError
from .common import Endpoint, atomic_unless, json_response, no_content, read_body
from .deps import client_address, current_user, rate_limiter, writing_user


def phone_service() -> PhoneService:
    settings = get_settings()
    return PhoneService(
        DjangoPhoneRepository(),
        secret=settings.secret_key,
        code_ttl=timedelta(seconds=settings.sms_code_ttl_seconds),
        max_attempts=settings.sms_code_max_attempts,
    )


def limit_sms(request: HttpRequest, user: User) -> None:
    """Each SMS costs money, and SMS pumping fraud asks for many: bound them per client IP and
    per account (a botnet has many IPs, one stolen account has one id)."""
    settings = get_settings()
    for key, rate in (
        (f"sms:{client_address(request)}", settings.rate_limit_sms),
        (f"sms-account:{user.id}", settings.rate_limit_sms_account),
    ):
        retry_after = rate_limiter().hit(key, Rate.parse(rate))
        if retry_after is not None:
            raise TooManyAttemptsError(retry_after)


def to_phone_status(service: PhoneService, user: User) -> PhoneStatus:
    state = service.state(user.id)
    pending = None
    if state.pending is not None:
        pending = PendingVerification(
            phone=state.pending.phone,
            expires_at=state.pending.expires_at,
            attempts_left=max(0, get_settings().sms_code_max_attempts - state.pending.attempts),
            delivery=state.delivery or "pending",
        )
    return PhoneStatus(phone=state.phone, verified_at=state.verified_at, pending=pending)


def get_phone(request: HttpRequest) -> HttpResponse:
    return json_response(to_phone_status(phone_service(), current_user(request)))


def request_phone_verification(request: HttpRequest) -> HttpResponse:
    user = writing_user(request)
    # The limits count every request, before its body is even read.
    limit_sms(request, user)
    body = read_body(request, PhoneVerificationRequest)
    # Per destination too: SMS pumping aims many accounts (and IPs) at a few premium numbers.
    retry_after = rate_limiter().hit(
        f"sms-destination:{body.phone}", Rate.parse(get_settings().rate_limit_sms_destination)
    )
    if retry_after is not None:
        raise TooManyAttemptsError(retry_after)
    phones = phone_service()
    with transaction.atomic():
        # The outbox row commits with the verification; the deliverer is nudged after it.
        phones.start(user.id, body.phone)
        status = to_phone_status(phones, user)
    return json_response(status, 202)


# 403: wrong code (it proves nothing; sessions also use it for CSRF); 409: nothing pending
# (expired, used or replaced); 429: too many wrong codes. Not 400 or 422: those are for bodies
# outside the schema, and a well-formed code is never one.
def verify_phone(request: HttpRequest) -> HttpResponse:
    user = writing_user(request)
    body = read_body(request, PhoneCode)
    try:
        # A wrong code's used-up attempt is committed all the same, so guesses stay counted.
        atomic_unless(lambda: phone_service().verify(user.id, body.code))
    except WrongCodeError as exc:
        return problem_response(403, exc.message, instance=request.path)
    except CodeAttemptsExhaustedError as exc:
        return problem_response(429, exc.message, instance=request.path)
    return no_content()


urlpatterns = [
    path(
        "users/me/phone",
        Endpoint(get=get_phone, post=request_phone_verification),
        name="phone",
    ),
    path("users/me/phone/verify", Endpoint(post=verify_phone), name="phone-verify"),
]
