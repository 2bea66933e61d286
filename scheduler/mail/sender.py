"""Deliver the outbox through SMTP: claim, send, mark sent, or retry later.

* **Claim.** A sender takes one message with a conditional UPDATE (``state`` from
  ``queued`` and due, to ``sending``, attempts + 1) committed at once; of two senders
  only one matches the row, so a message is never sent twice by two senders. A
  message left ``sending`` longer than the lease (its sender died mid-send) is due
  again: the one case where it may arrive twice (at-least-once, never lost).
* **Retry.** A failed attempt puts the message back to ``queued`` with the error and
  ``next_attempt_at`` after a backoff that doubles per attempt (1 min, 2, 4, ... at
  most an hour), for ever: nothing is dropped. A server that does not answer stops
  the round; its messages keep their place and go out when it is back.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from scheduler.mail.settings import SmtpSettings, public_url
from scheduler.storage.db import unit_of_work
from scheduler.storage.models import utc_now
from scheduler.storage.models_outbox import OutboxMessage

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 3600
LEASE_SECONDS = 600
"""A claim older than this is taken to be a dead sender's."""
BATCH = 100


@dataclass
class Round:
    """What one call of ``send_due`` did."""

    sent: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    """Message id -> the error; each is retried after its backoff."""


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: 1, 2, 4, ... minutes, at most 1 h."""
    return timedelta(
        seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS)
    )


def send_due(
    sessions: sessionmaker[Session],
    smtp: SmtpSettings,
    worker: str,
    now: datetime | None = None,
    limit: int = BATCH,
) -> Round:
    """Send up to ``limit`` due messages over one SMTP connection."""
    now = now or utc_now()
    done = Round()
    connection: smtplib.SMTP | None = None
    try:
        for message_id in _due_ids(sessions, now, limit):
            message = _claim(sessions, message_id, worker, now)
            if message is None:
                continue  # another sender took it
            try:
                if connection is None:
                    connection = connect(smtp)
                connection.send_message(compose(message, smtp.sender))
            except (OSError, smtplib.SMTPException) as failure:
                error = _describe(failure)
                _give_back(sessions, message_id, worker, error, now + retry_delay(message.attempts))
                done.failed[message_id] = error
                if connection is None or isinstance(failure, smtplib.SMTPServerDisconnected):
                    break  # the server is away: the rest wait for the next round untouched
                if not isinstance(failure, smtplib.SMTPRecipientsRefused):
                    _quit(connection)
                    connection = None
                continue
            _mark_sent(sessions, message_id, worker)
            done.sent.append(message_id)
    finally:
        if connection is not None:
            _quit(connection)
    if done.sent or done.failed:
        log.info("mail: %d sent, %d to retry", len(done.sent), len(done.failed))
    return done


def connect(smtp: SmtpSettings) -> smtplib.SMTP:
    """An open, authenticated connection to the configured server."""
    context = ssl.create_default_context()
    if smtp.tls:
        connection: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=smtp.timeout, context=context
        )
    else:
        connection = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        if smtp.starttls:
            connection.starttls(context=context)
    if smtp.username:
        connection.login(smtp.username, smtp.password or "")
    return connection


def compose(message: OutboxMessage, sender: str) -> EmailMessage:
    """The e-mail of an outbox row: plain text, the link at the end made absolute."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to_address
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime(message.created_at)
    mail["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain="sunshift")
    mail["X-Sunshift-Kind"] = message.kind
    body = message.body.rstrip("\n") + "\n"
    if message.link:
        body += f"\n{absolute_link(message.link)}\n"
    mail.set_content(body)
    return mail


def absolute_link(link: str) -> str:
    return public_url() + link if link.startswith("/") else link


def _due(now: datetime):
    return or_(
        and_(OutboxMessage.state == "queued", OutboxMessage.next_attempt_at <= now),
        and_(
            OutboxMessage.state == "sending",
            OutboxMessage.claimed_at < now - timedelta(seconds=LEASE_SECONDS),
        ),
    )


def _due_ids(sessions: sessionmaker[Session], now: datetime, limit: int) -> list[int]:
    with unit_of_work(sessions) as session:
        return list(
            session.scalars(
                select(OutboxMessage.id)
                .where(_due(now))
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(limit)
            )
        )


def _claim(
    sessions: sessionmaker[Session], message_id: int, worker: str, now: datetime
) -> OutboxMessage | None:
    """The message if this sender won it (committed before anything is sent)."""
    with unit_of_work(sessions) as session:
        won = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, _due(now))
            .values(
                state="sending",
                claimed_by=worker,
                claimed_at=now,
                attempts=OutboxMessage.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if won.rowcount != 1:
            return None
        return session.get(OutboxMessage, message_id)


def _mark_sent(sessions: sessionmaker[Session], message_id: int, worker: str) -> None:
    with unit_of_work(sessions) as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker)
            .values(state="sent", sent_at=utc_now(), last_error=None)
            .execution_options(synchronize_session=False)
        )


def _give_back(
    sessions: sessionmaker[Session], message_id: int, worker: str, error: str, retry_at: datetime
) -> None:
    with unit_of_work(sessions) as session:
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.claimed_by == worker,
                OutboxMessage.state == "sending",
            )
            .values(state="queued", last_error=error[:2000], next_attempt_at=retry_at)
            .execution_options(synchronize_session=False)
        )


def _describe(failure: BaseException) -> str:
    if isinstance(failure, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{who} refused: {code} {_text(reply)}"
            for who, (code, reply) in failure.recipients.items()
        )
    return f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _quit(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()
