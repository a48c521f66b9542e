"""Request id, access log, security headers, the body cap and problems for every error."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .config import get_settings
from .errors import MAX_BODY_BYTES, exception_problem, problem_response, server_error_response
from .logs import request_id_var

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

logger = logging.getLogger(__name__)


class RequestContextMiddleware:
    """Give each request an id, log it with its latency, and harden every response.

    It is the outermost middleware: the id is set before anything else runs, every answer
    (Django's own 404 and 500 included) leaves through it, and exceptions raised by a view
    become problems here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Outside development, whatever scheme the request arrived with: TLS usually ends at a
        # proxy, where Django's own HSTS (HTTPS requests only) would never be sent.
        self.hsts = not get_settings().is_development

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        response: HttpResponse | None = None
        try:
            response = self._respond(request)
            self._add_headers(response, request_id)
            if self.hsts:
                response["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
            return response
        finally:
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code if response is not None else 500,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(token)

    def _respond(self, request: HttpRequest) -> HttpResponse:
        # Checked before any view reads the body; a chunked body (no Content-Length) was
        # measured by wsgi.BodyLimit, which announces an oversized one the same way.
        if _declared_length(request) > MAX_BODY_BYTES:
            detail = f"The request body exceeds {MAX_BODY_BYTES} bytes."
            return problem_response(413, detail, instance=request.path)
        # Enforces ALLOWED_HOSTS (Django checks it only when something asks for the host).
        request.get_host()
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse:
        """Exceptions a view raised: expected ones become their problem, the rest a 500."""
        return exception_problem(request, exception) or server_error_response(request, exception)

    @staticmethod
    def _add_headers(response: HttpResponse, request_id: str) -> None:
        response[REQUEST_ID_HEADER] = request_id
        response["X-Content-Type-Options"] = "nosniff"
        response["X-Frame-Options"] = "DENY"
        response["Referrer-Policy"] = "no-referrer"
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        # Unless a page set its own (the admin's HTML, when generated, loads its own files).
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
        # Django leaves the length to the server, which may then send the body chunked:
        # a whole body gets its length (never on 204 and 304, which have no body).
        if (
            not response.streaming
            and response.status_code not in (204, 304)
            and "Content-Length" not in response
        ):
            response["Content-Length"] = str(len(response.content))


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
