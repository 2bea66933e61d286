"""The outbox as the outbox page shows it: newest first, a page at a time, with the
state of each message (queued with its last error and next attempt, or sent); and its
retention: ``prune_sent`` deletes the mails sent long ago (``sunshift mail prune``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.storage.db import unit_of_work
from scheduler.storage.models import utc_now
from scheduler.storage.models_outbox import OUTBOX_STATES, OutboxMessage

PER_PAGE = 50


@dataclass(frozen=True)
class OutboxRow:
    id: int
    created_at: datetime
    kind: str
    to_address: str
    subject: str
    body: str
    link: str | None
    state: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True)
class OutboxPage:
    rows: tuple[OutboxRow, ...]
    page: int
    pages: int
    total: int
    counts: dict[str, int]
    """Messages per state over the whole outbox."""
    state: str | None
    """The state shown (None: all)."""


def outbox_page(
    sessions: sessionmaker[Session],
    page: int = 1,
    state: str | None = None,
    per_page: int = PER_PAGE,
) -> OutboxPage:
    """One page of messages, newest first (``state`` one of ``OUTBOX_STATES`` or None)."""
    if state not in (None, *OUTBOX_STATES):
        state = None
    where = [OutboxMessage.state == state] if state else []
    with unit_of_work(sessions) as session:
        counts: dict[str, int] = {
            state_: count
            for state_, count in session.execute(
                select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
            )
        }
        total = counts.get(state, 0) if state else sum(counts.values())
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        found = session.scalars(
            select(OutboxMessage)
            .where(*where)
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
        rows = tuple(
            OutboxRow(
                id=r.id,
                created_at=r.created_at,
                kind=r.kind,
                to_address=r.to_address,
                subject=r.subject,
                body=r.body,
                link=r.link,
                state=r.state,
                attempts=r.attempts,
                last_error=r.last_error,
                next_attempt_at=r.next_attempt_at,
                sent_at=r.sent_at,
            )
            for r in found
        )
    return OutboxPage(rows, page, pages, total, {s: counts.get(s, 0) for s in OUTBOX_STATES}, state)


def prune_sent(sessions: sessionmaker[Session], keep_days: int, now: datetime | None = None) -> int:
    """Delete the mails the server took more than ``keep_days`` days before ``now``; how
    many. Only ``sent`` ones: a mail queued (waiting, or failing and retried) or being
    sent is never touched, whatever its age. At least a day is kept, so the digest still
    sees it was queued today (``scheduler.services.digest``)."""
    if keep_days < 1:
        raise ValueError(f"keep_days must be at least 1, got {keep_days}")
    cutoff = (now or utc_now()) - timedelta(days=keep_days)
    with unit_of_work(sessions) as session:
        done = session.execute(
            delete(OutboxMessage)
            .where(OutboxMessage.state == "sent", OutboxMessage.sent_at < cutoff)
            .execution_options(synchronize_session=False)
        )
        return done.rowcount
