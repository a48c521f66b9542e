"""Request hooks: request id, access log, security headers, body size cap and CORS."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Sequence

from flask import Flask, Response, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import MAX_BODY_BYTES
from .logs import request_id_var

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
CORS_METHODS = "GET, POST, PUT, PATCH, DELETE"
CORS_MAX_AGE_SECONDS = 600
# A body the app did not read (refused, or sent to an endpoint that takes none) is read and
# dropped up to this size before the answer goes out, so the client's keep-alive connection stays
# usable: gunicorn drains only 64 KiB itself, then closes the connection without warning.
DRAIN_MAX_BYTES = 16 * MAX_BODY_BYTES

logger = logging.getLogger(__name__)


def install_request_hooks(
    app: Flask,
    *,
    hsts: bool,
    cors_origins: Sequence[str],
    cors_credentials: bool,
    cors_headers: Sequence[str],
) -> None:
    """Give each request an id, log it with its latency, and harden every response.

    Flask enforces `MAX_CONTENT_LENGTH` while the body is read (also for a chunked body with no
    declared length); a declared length over the cap is refused here, before anything else.
    """
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    allowed_origins = frozenset(cors_origins)

    @app.before_request
    def start() -> Response | None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_id_token = request_id_var.set(request_id)
        g.started = time.perf_counter()
        if (request.content_length or 0) > MAX_BODY_BYTES:
            raise RequestEntityTooLarge
        origin = request.headers.get("Origin")
        if (
            request.method == "OPTIONS"
            and origin in allowed_origins
            and "Access-Control-Request-Method" in request.headers
        ):
            preflight = Response(status=204)
            preflight.headers["Access-Control-Allow-Methods"] = CORS_METHODS
            preflight.headers["Access-Control-Allow-Headers"] = ", ".join(cors_headers)
            preflight.headers["Access-Control-Max-Age"] = str(CORS_MAX_AGE_SECONDS)
            return preflight
        return None

    @app.after_request
    def finish(response: Response) -> Response:
        request_id = request_id_var.get() or uuid.uuid4().hex
        headers = response.headers
        headers[REQUEST_ID_HEADER] = request_id
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        headers.setdefault("Cache-Control", "no-store")
        headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
        if hsts:
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        origin = request.headers.get("Origin")
        if origin is not None and origin in allowed_origins:
            headers["Access-Control-Allow-Origin"] = origin
            headers.add("Vary", "Origin")
            if cors_credentials:
                headers["Access-Control-Allow-Credentials"] = "true"
            headers["Access-Control-Expose-Headers"] = "X-Request-ID, Location, Retry-After"
        _drain_body()
        started = g.get("started", time.perf_counter())
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
        return response

    @app.teardown_request
    def forget(_error: BaseException | None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            request_id_var.reset(token)


def _drain_body() -> None:
    """Read what is left of the request body from the server's stream (past Flask's cap)."""
    stream = request.environ.get("wsgi.input")
    drained = 0
    while stream is not None and drained < DRAIN_MAX_BYTES:
        chunk = stream.read(65536)
        if not chunk:
            return
        drained += len(chunk)
