"""The sender as a thread (web server, Celery worker) or a loop (``sunshift mail send
--loop``): a round every ``SUNSHIFT_MAIL_SEND_SECONDS`` (30 s) while SMTP is set.

Several loops on several machines are safe: each message is claimed by one sender.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from sqlalchemy.orm import Session, sessionmaker

from scheduler.mail.sender import send_due
from scheduler.mail.settings import SmtpSettings

log = logging.getLogger(__name__)

SEND_SECONDS_ENV = "SUNSHIFT_MAIL_SEND_SECONDS"


def send_every_seconds() -> float:
    raw = os.environ.get(SEND_SECONDS_ENV, "").strip()
    try:
        value = float(raw) if raw else 30.0
    except ValueError as bad:
        raise ValueError(f"{SEND_SECONDS_ENV}={raw!r} is not a number of seconds") from bad
    if value <= 0:
        raise ValueError(f"{SEND_SECONDS_ENV}={raw!r} must be above 0")
    return value


def sender_id(kind: str = "sender") -> str:
    return f"{kind}@{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class MailLoop:
    """Rounds of ``send_due`` until stopped; an error is logged and the next round
    tries again (the database or the server may be back by then)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        smtp: SmtpSettings,
        every_seconds: float | None = None,
        name: str = "sender",
    ) -> None:
        self.sessions = sessions
        self.smtp = smtp
        self.every_seconds = every_seconds or send_every_seconds()
        self.name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> MailLoop:
        """Run on a daemon thread."""
        self._thread = threading.Thread(target=self.run, name="sunshift-mail", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join()

    def run(self) -> None:
        """Rounds in this thread until ``stop`` (or Ctrl-C)."""
        worker = sender_id(self.name)
        while True:
            try:
                send_due(self.sessions, self.smtp, worker)
            except Exception:
                log.exception("mail: round failed")
            if self._stop.wait(self.every_seconds):
                return
