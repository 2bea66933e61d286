"""A real SMTP server in-process (aiosmtpd) that keeps what it received, for the mail
tests: they read the messages a sender delivered, as a mail server would get them."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from scheduler.mail.settings import SmtpSettings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Keep:
    def __init__(self) -> None:
        self.received: list[tuple[Envelope, EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope: Envelope) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.received.append((envelope, parsed))
        return "250 OK"


class SmtpSink:
    """``start()`` / ``stop()`` on a fixed port, so a test can take the server away
    and bring it back on the same address."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self._handler = _Keep()
        self._controller: Controller | None = None

    def start(self) -> SmtpSink:
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=5"

    def settings(self) -> SmtpSettings:
        return SmtpSettings(
            "127.0.0.1", self.port, False, False, None, None, 5.0, "Sunshift <s@test>"
        )

    @property
    def messages(self) -> list[EmailMessage]:
        with self._handler.lock:
            return [message for _envelope, message in self._handler.received]

    @property
    def recipients(self) -> list[str]:
        with self._handler.lock:
            return [to for envelope, _m in self._handler.received for to in envelope.rcpt_tos]
