"""`/sms/status`: Twilio's delivery reports, accepted only with a valid `X-Twilio-Signature`."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from pydantic import ValidationError

from ..config import get_settings
from ..errors import problem_response
from ..integrations.sms import SIGNATURE_HEADER, signature_is_valid
from ..schemas.phone import StatusQuery, StatusReport
from ..services.errors import ValidationFailedError
from .common import Endpoint, no_content, read_query
from .phone import phone_service


def signed_fields(request: HttpRequest) -> dict[str, str] | None:
    """The form Twilio posted, if its signature checks out (None otherwise)."""
    fields = dict(parse_qsl(request.body.decode("utf-8", errors="replace"), keep_blank_values=True))
    signature = request.headers.get(SIGNATURE_HEADER)
    query = request.META.get("QUERY_STRING", "")
    if not signature_is_valid(get_settings(), query, fields, signature):
        return None
    return fields


def sms_status(request: HttpRequest) -> HttpResponse:
    fields = signed_fields(request)
    if fields is None:
        return problem_response(
            403, f"the {SIGNATURE_HEADER} header is missing or wrong", instance=request.path
        )
    try:
        report = StatusReport.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "body"
        raise ValidationFailedError(field, str(error["msg"])) from exc
    message = read_query(request, StatusQuery).message
    with transaction.atomic():
        # A repeat or an older report changes nothing and is still acknowledged (204), so that
        # Twilio does not send it again.
        phone_service().record_status(
            message, report.MessageStatus, report.MessageSid, report.ErrorCode
        )
    return no_content()


urlpatterns = [
    path("sms/status", Endpoint(post=sms_status), name="sms-status"),
]
