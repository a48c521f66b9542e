"""A fake of Twilio's Messages API on 127.0.0.1, in a thread: scripted answers, recorded requests.

`POST /2010-04-01/Accounts/{sid}/Messages.json` answers the next scripted `Answer` (201 with a
message resource when the script is empty). Each request is recorded with its form fields and
Authorization header, so tests assert on what the twilio client really sent.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Answer:
    status: int = 201
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Received:
    path: str
    form: dict[str, str]
    user: str
    password: str


class FakeTwilio:
    def __init__(self) -> None:
        self.script: list[Answer] = []
        self.received: list[Received] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                user, _, password = (
                    base64.b64decode(self.headers.get("Authorization", "Basic ")[6:])
                    .decode()
                    .partition(":")
                )
                with fake.lock:
                    fake.received.append(Received(self.path, form, user, password))
                    answer = fake.script.pop(0) if fake.script else Answer()
                time.sleep(answer.delay)
                body = answer.body
                if body is None and answer.status == 201:
                    body = fake.message_resource(form)
                payload = json.dumps(body or {"code": 20500, "message": "scripted"}).encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @staticmethod
    def message_resource(form: dict[str, str]) -> dict[str, Any]:
        return {
            "sid": "SM" + secrets.token_hex(16),
            "status": "queued",
            "to": form.get("To"),
            "from": form.get("From"),
            "body": form.get("Body"),
            "num_segments": "1",
            "direction": "outbound-api",
        }

    def answer(self, *answers: Answer) -> None:
        with self.lock:
            self.script.extend(answers)


@contextmanager
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    # A short poll: shutdown() waits for the loop's next look, 0.5 s by default, at every teardown.
    thread = threading.Thread(
        target=fake.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
        thread.join()
