"""Request id, access log, security headers and the last-resort 500 problem, in one middleware."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import problem_response
from .logs import request_id_var

REQUEST_ID_HEADER = "X-Request-ID"
MAX_BODY_BYTES = 1024 * 1024
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

logger = logging.getLogger(__name__)


class BodyTooLargeError(Exception):
    """The request body exceeded MAX_BODY_BYTES."""


class RequestContextMiddleware:
    """Give each request an id, log it with its latency, and harden every response."""

    def __init__(self, app: ASGIApp, *, hsts: bool, docs_paths: tuple[str, ...] = ()) -> None:
        self.app = app
        self.hsts = hsts
        self.docs_paths = docs_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        incoming = headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        response_started = False
        received = 0
        too_large = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    too_large = True
                    raise BodyTooLargeError
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if too_large and not response_started:
                # A streamed (chunked) body went over the cap while the framework read it; it
                # turned our exception into its own 400. Drop that answer and send the 413.
                raise BodyTooLargeError
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                self._add_headers(MutableHeaders(scope=message), scope["path"], request_id)
            await send(message)

        try:
            if _declared_length(headers) > MAX_BODY_BYTES:
                raise BodyTooLargeError
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLargeError:
            too_large = False
            if not response_started:
                detail = f"The request body exceeds {MAX_BODY_BYTES} bytes."
                response = problem_response(413, detail, instance=scope["path"])
                await response(scope, receive, send_with_headers)
        except Exception:
            logger.exception("unhandled error")
            if not response_started:
                response = problem_response(
                    500, "An unexpected error occurred.", instance=scope["path"]
                )
                await response(scope, receive, send_with_headers)
        finally:
            logger.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(token)

    def _add_headers(self, headers: MutableHeaders, path: str, request_id: str) -> None:
        headers[REQUEST_ID_HEADER] = request_id
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Cache-Control"] = headers.get("Cache-Control", "no-store")
        if not path.startswith(self.docs_paths) or not self.docs_paths:
            headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
        if self.hsts:
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"


def _declared_length(headers: Headers) -> int:
    try:
        return int(headers.get("content-length", "0"))
    except ValueError:
        return 0
