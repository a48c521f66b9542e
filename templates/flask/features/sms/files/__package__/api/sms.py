"""`/sms/status`: Twilio's delivery reports, accepted only with a valid `X-Twilio-Signature`."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, Response, request
from pydantic import ValidationError

from ..errors import ProblemError
from ..integrations.sms import SIGNATURE_HEADER, signature_is_valid
from ..schemas.phone import StatusQuery, StatusReport
from ..services.errors import ValidationFailedError
from .deps import context, unit_of_work
from .phone import phone_service
from .validation import parse_query

router = Blueprint("sms", __name__, url_prefix="/sms")


def signed_report() -> StatusReport:
    """The form Twilio posted, once its signature is checked (403 otherwise)."""
    body = request.get_data(cache=False).decode("utf-8", errors="replace")
    fields = dict(parse_qsl(body, keep_blank_values=True))
    signature = request.headers.get(SIGNATURE_HEADER)
    query = request.query_string.decode("utf-8", errors="replace")
    if not signature_is_valid(context().settings, query, fields, signature):
        raise ProblemError(403, f"the {SIGNATURE_HEADER} header is missing or wrong")
    try:
        return StatusReport.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "body"
        raise ValidationFailedError(field, str(error["msg"])) from exc


@router.post("/status")
def sms_status() -> Response:
    report = signed_report()
    message = parse_query(StatusQuery).message
    with unit_of_work() as session:
        # A repeat or an older report changes nothing and is still acknowledged (204), so that
        # Twilio does not send it again.
        phone_service(session).record_status(
            message, report.MessageStatus, report.MessageSid, report.ErrorCode
        )
    return Response(status=204)
