"""`/sms/status`: Twilio's delivery reports, accepted only with a valid `X-Twilio-Signature`."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import ValidationError

from ..errors import problems
from ..integrations.sms import SIGNATURE_HEADER, signature_is_valid
from ..schemas.phone import MAX_MESSAGE_ID, StatusReport
from ..services.errors import ValidationFailedError
from .deps import Context
from .phone import PhoneServiceDep

router = APIRouter(prefix="/sms", tags=["sms"])


async def signed_report(request: Request, context: Context) -> StatusReport:
    """The form Twilio posted, once its signature is checked (403 otherwise)."""
    body = (await request.body()).decode("utf-8", errors="replace")
    fields = dict(parse_qsl(body, keep_blank_values=True))
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature_is_valid(context.settings, request.url.query, fields, signature):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, f"the {SIGNATURE_HEADER} header is missing or wrong"
        )
    try:
        return StatusReport.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "body"
        raise ValidationFailedError(field, str(error["msg"])) from exc


_FORM = {
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "required": ["MessageSid", "MessageStatus"],
                "properties": {
                    "MessageSid": {"type": "string"},
                    "MessageStatus": {
                        "type": "string",
                        "enum": [
                            "accepted",
                            "scheduled",
                            "queued",
                            "sending",
                            "sent",
                            "delivered",
                            "undelivered",
                            "failed",
                            "canceled",
                        ],
                    },
                    "ErrorCode": {"type": "string"},
                },
            }
        }
    },
    "required": True,
}


@router.post(
    "/status",
    summary="Receive a delivery report from Twilio",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(403, 404, 422),
    openapi_extra={"requestBody": _FORM},
)
def sms_status(
    report: Annotated[StatusReport, Depends(signed_report)],
    phones: PhoneServiceDep,
    message: Annotated[int, Query(ge=1, le=MAX_MESSAGE_ID, description="Our SMS id.")],
) -> None:
    # A repeat or an older report changes nothing and is still acknowledged (204), so that
    # Twilio does not send it again.
    phones.record_status(message, report.MessageStatus, report.MessageSid, report.ErrorCode)
