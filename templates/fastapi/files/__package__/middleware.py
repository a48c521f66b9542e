"""Request id, access log, security headers and the last-resort 500 problem, in one middleware."""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import Token

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import problem_response
from .logs import request_id_var

REQUEST_ID_HEADER = "X-Request-ID"
MAX_BODY_BYTES = 1024 * 1024
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Answered here, before routing: the liveness probe is called often and needs nothing of the
# framework. Its route stays in the router, which documents it and answers what this does not
# (other methods: 405; cross-origin requests: CORS headers).
LIVE_PATH = "/health/live"
_LIVE_BODY = b'{"status":"ok"}'

logger = logging.getLogger(__name__)


class BodyTooLargeError(Exception):
    """The request body exceeded MAX_BODY_BYTES."""


class RequestContextMiddleware:
    """Give each request an id, log it with its latency, and harden every response.

    Request headers are read in one pass over the raw list, and the response headers are built
    once here; per request only the id is added.
    """

    def __init__(self, app: ASGIApp, *, hsts: bool, docs_paths: tuple[str, ...] = ()) -> None:
        self.app = app
        self.hsts = hsts
        self.docs_paths = docs_paths
        common = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
        ]
        if hsts:
            common.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
        csp = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
        # What each response gets, and which of its own headers ours replace (Cache-Control only
        # when the response set none; the docs pages keep their own Content-Security-Policy).
        self._headers = [*common, csp]
        self._replaced = frozenset(name for name, _ in self._headers) | {b"x-request-id"}
        self._docs_headers = common
        self._docs_replaced = frozenset(name for name, _ in common) | {b"x-request-id"}
        self._live_headers = [
            (b"content-length", str(len(_LIVE_BODY)).encode()),
            (b"content-type", b"application/json"),
            *self._headers,
            (b"cache-control", b"no-store"),
        ]

    @staticmethod
    def may_answer_alone(scope: Scope) -> bool:
        """Whether this request may be the liveness probe, which `__call__` answers without the
        app: the application can then call this layer directly, past the framework's own outer
        layers (error page, telemetry, body limit), which such a request never reaches."""
        return bool(
            scope["type"] == "http" and scope["path"] == LIVE_PATH and scope["method"] == "GET"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming, declared, cross_origin = _read_headers(scope)
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        if (
            scope["path"] == LIVE_PATH
            and scope["method"] == "GET"
            and not cross_origin
            and declared <= MAX_BODY_BYTES
        ):
            # Answered here, without the per-request closures below (the probe reads no body).
            await self._answer_live(scope, send, request_id, token, started)
            return
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
                message["headers"] = self._with_headers(
                    message.get("headers", ()), scope["path"], request_id
                )
            await send(message)

        try:
            if declared > MAX_BODY_BYTES:
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
            _log_request(scope, status, started)
            request_id_var.reset(token)

    async def _answer_live(
        self, scope: Scope, send: Send, request_id: str, token: Token[str | None], started: float
    ) -> None:
        """Send the probe's answer, then write its access line and reset the request id."""
        headers = [*self._live_headers, (b"x-request-id", request_id.encode("latin-1"))]
        try:
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": _LIVE_BODY})
        except Exception:
            logger.exception("unhandled error")
        finally:
            _log_request(scope, 200, started)
            request_id_var.reset(token)

    def _with_headers(
        self, raw: list[tuple[bytes, bytes]], path: str, request_id: str
    ) -> list[tuple[bytes, bytes]]:
        """The response's headers with ours set (replacing the same names) and the id added."""
        docs = bool(self.docs_paths) and path.startswith(self.docs_paths)
        ours, replaced = (
            (self._docs_headers, self._docs_replaced) if docs else (self._headers, self._replaced)
        )
        headers = [(name, value) for name, value in raw if name.lower() not in replaced]
        if not any(name.lower() == b"cache-control" for name, _ in headers):
            headers.append((b"cache-control", b"no-store"))
        headers.extend(ours)
        headers.append((b"x-request-id", request_id.encode("latin-1")))
        return headers


def _log_request(scope: Scope, status: int, started: float) -> None:
    """The access line. The record is made directly: `logger.info` would also walk the stack
    for a file name and line number that the JSON line does not contain."""
    if not logger.isEnabledFor(logging.INFO):
        return
    extra = {
        "method": scope["method"],
        "path": scope["path"],
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
    }
    record = logger.makeRecord(logger.name, logging.INFO, "", 0, "request", (), None, extra=extra)
    logger.handle(record)


def _read_headers(scope: Scope) -> tuple[str, int, bool]:
    """The request id sent (or ""), the declared body length (0 when absent or invalid) and
    whether the request is cross-origin, in one pass over the raw headers (lower-case names, as
    ASGI servers give them; the first of repeated headers counts)."""
    incoming: bytes | None = None
    declared: bytes | None = None
    cross_origin = False
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            incoming = value if incoming is None else incoming
        elif name == b"content-length":
            declared = value if declared is None else declared
        elif name == b"origin":
            cross_origin = True
    try:
        length = int(declared) if declared is not None else 0
    except ValueError:
        length = 0
    return ("" if incoming is None else incoming.decode("latin-1")), length, cross_origin
