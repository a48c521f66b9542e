"""A small SMTP server on loopback for the tests: it records what it receives, and answers
what a test scripts (a 4xx or 5xx to a command, or no greeting at all, like a hung server)."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage


class FakeSmtpServer:
    def __init__(self) -> None:
        # Reply to a command (its first word: MAIL, RCPT, DATA, AUTH ...) instead of accepting.
        self.replies: dict[str, str] = {}
        # Accept connections but never say a word: the client's timeout has to end it.
        self.silent = False
        self.raw_messages: list[bytes] = []
        self.commands: list[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            message_from_bytes(raw, _class=EmailMessage, policy=policy.default)
            for raw in self.raw_messages
        ]

    def close(self) -> None:
        self._listener.close()
        for connection in self._connections:
            connection.close()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return  # closed
            self._connections.append(connection)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        try:
            if self.silent:
                connection.recv(1)  # until the client gives up and closes
                return
            stream = connection.makefile("rb")
            connection.sendall(b"220 fake ESMTP\r\n")
            for line in stream:
                command = line.decode("latin-1").strip()
                self.commands.append(command)
                verb = command.split(" ", 1)[0].upper()
                if verb in self.replies:
                    connection.sendall(self.replies[verb].encode() + b"\r\n")
                elif verb == "EHLO":
                    connection.sendall(b"250-fake\r\n250-AUTH PLAIN LOGIN\r\n250 SMTPUTF8\r\n")
                elif verb == "AUTH":
                    connection.sendall(b"235 2.7.0 accepted\r\n")
                elif verb == "DATA":
                    connection.sendall(b"354 go ahead\r\n")
                    body = b""
                    for data in stream:
                        if data == b".\r\n":
                            break
                        body += data[1:] if data.startswith(b"..") else data
                    self.raw_messages.append(body)
                    connection.sendall(b"250 2.0.0 queued\r\n")
                elif verb == "QUIT":
                    connection.sendall(b"221 bye\r\n")
                    return
                else:
                    connection.sendall(b"250 ok\r\n")
        except OSError:
            return
        finally:
            connection.close()


def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
    return port
