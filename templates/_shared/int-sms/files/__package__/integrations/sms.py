"""Twilio's Messages API: the outbox handler that sends an SMS, and status-callback signatures.

The official `twilio` client does the API work; its HTTP client is replaced by one that always
has a timeout and turns every failure into a ProviderError, so the outbox retries exactly the
failures that may pass (timeouts, connection errors, 429, 5xx) and sets the others aside.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from typing import Any

import requests
from twilio.http.http_client import TwilioHttpClient  # type: ignore[import-untyped]
from twilio.http.response import Response  # type: ignore[import-untyped]
from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]
from twilio.rest import Client  # type: ignore[import-untyped]

from ..outbox import Handler, Message
from ..settings import Settings
from .errors import (
    ProviderRejectedError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    error_for_status,
)

PROVIDER = "Twilio"
SIGNATURE_HEADER = "X-Twilio-Signature"

# twilio's HTTP client logs every request's URL and headers and every answer's headers at INFO;
# what matters (failures, retries, dead messages) the outbox logs itself.
http_logger = logging.getLogger(f"{__name__}.http")
http_logger.setLevel(logging.WARNING)


class GuardedHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """twilio's HTTP client with a timeout on every call and failures as ProviderErrors.

    Raising here, below the twilio client, keeps what twilio's own exceptions drop: the
    `Retry-After` header of a 429 or 503.
    """

    def request(
        self,
        method: str,
        url: str,
        params: Mapping[str, object] | None = None,
        data: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        try:
            response = super().request(
                method,
                url,
                params=params,
                data=data,
                headers=headers,
                auth=auth,
                timeout=timeout,
                allow_redirects=allow_redirects,
            )
        except requests.Timeout as exc:  # before ConnectionError: a connect timeout is both
            raise ProviderTimeoutError(PROVIDER, f"no answer within {self.timeout}s") from exc
        except requests.RequestException as exc:
            raise ProviderUnavailableError(PROVIDER, f"unreachable ({type(exc).__name__})") from exc
        status = int(response.status_code)
        error = error_for_status(
            PROVIDER, status, retry_after=(response.headers or {}).get("Retry-After")
        )
        if isinstance(error, ProviderRejectedError):
            # Twilio's error code says why (21211: invalid 'To', 20003: bad credentials ...).
            raise ProviderRejectedError(
                PROVIDER, f"refused the message ({status}, Twilio error {twilio_code(response)})"
            )
        if error is not None:
            raise error
        return response


def twilio_code(response: Response) -> str:
    try:
        body = json.loads(response.text)
    except ValueError:
        return "unknown"
    code = body.get("code") if isinstance(body, dict) else None
    return str(code) if code is not None else "unknown"


def make_client(settings: Settings) -> Client:
    """A Twilio client with a timeout, talking to TWILIO_API_BASE (a fake on loopback in tests)."""
    client = Client(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        http_client=GuardedHttpClient(timeout=settings.twilio_timeout_seconds, logger=http_logger),
        # Not os.environ: TWILIO_REGION / TWILIO_EDGE there would rewrite the API's host name.
        environment={},
    )
    # The supported override of a Twilio domain's address (twilio.base.domain.Domain.base_url).
    client.api.base_url = settings.twilio_api_base.rstrip("/")
    return client


class TwilioSender:
    """Sends outbox messages of kind `sms`; the client is built at the first message, so a
    service without credentials starts, and its messages wait as dead until they are set."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: Client | None = None
        self._lock = threading.Lock()

    def client(self) -> Client:
        settings = self.settings
        if not (
            settings.twilio_account_sid
            and settings.twilio_auth_token
            and settings.twilio_from_number
        ):
            raise ProviderRejectedError(
                PROVIDER, "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER must be set"
            )
        with self._lock:
            if self._client is None:
                self._client = make_client(settings)
            return self._client

    def send(self, message: Message) -> None:
        payload = message.payload
        arguments: dict[str, Any] = {
            "to": payload["to"],
            "from_": self.settings.twilio_from_number,
            "body": payload["body"],
        }
        callback = self.settings.twilio_status_callback_url
        if callback:
            # Our row's id rides in the URL Twilio signs and calls back.
            arguments["status_callback"] = f"{callback}?message={payload['sms_message_id']}"
        self.client().messages.create(**arguments)


def sms_handler(settings: Settings) -> Handler:
    return TwilioSender(settings).send


def signature_is_valid(
    settings: Settings, query: str, params: Mapping[str, str], signature: str | None
) -> bool:
    """Whether Twilio signed this callback: HMAC-SHA1 over the public URL Twilio called (not
    the one we see behind a proxy) and the form fields, with the auth token."""
    url = settings.twilio_status_callback_url
    if not (signature and url and settings.twilio_auth_token):
        return False
    if query:
        url = f"{url}?{query}"
    validator = RequestValidator(settings.twilio_auth_token)
    return bool(validator.validate(url, dict(params), signature))
