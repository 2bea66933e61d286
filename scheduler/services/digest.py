"""The planners' daily digest: what waits for a planner's decision, one mail a day.

Features with requests register how many of theirs are pending (a *pending source*),
so the digest needs no knowledge of their tables::

    from scheduler.services.digest import Pending, pending_source

    @pending_source
    def pending_time_off(session: Session) -> list[Pending]:
        return [Pending("time-off request(s) pending", count, period_name, "/planning/...")]

and add their module to ``SOURCE_MODULES`` (imported when the digest runs, so the
registration happens in ``sunshift mail digest`` too). ``queue_digest`` mails every
planner and admin with an e-mail (``notify_planners``) once per UTC day, and nothing
when nothing waits.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.mail.sender import absolute_link
from scheduler.services.notifications import notify_planners, planners_with_email
from scheduler.storage.db import unit_of_work
from scheduler.storage.models import utc_now
from scheduler.storage.models_outbox import OutboxMessage

KIND = "digest"
SOURCE_MODULES: tuple[str, ...] = (
    "scheduler.services.digest_time_off",
    "scheduler.services.digest_swaps",
)
"""Modules that register pending sources; one not (yet) in this install is skipped."""


@dataclass(frozen=True)
class Pending:
    """``count`` things of one kind waiting in one period (``what`` reads after the
    count: "time-off request(s) pending")."""

    what: str
    count: int
    period: str | None = None
    link: str | None = None
    oldest: datetime | None = None
    """When the longest-waiting one was made (shown in UTC)."""


PendingSource = Callable[[Session], list[Pending]]
_sources: list[PendingSource] = []


def pending_source(source: PendingSource) -> PendingSource:
    """Register ``source`` (a decorator); registering one twice keeps one."""
    if source not in _sources:
        _sources.append(source)
    return source


def pending(session: Session) -> list[Pending]:
    """Everything waiting now, from every registered source (counts above zero)."""
    _load_sources()
    found: list[Pending] = []
    for source in _sources:
        found += [item for item in source(session) if item.count > 0]
    return found


@dataclass(frozen=True)
class DigestResult:
    queued: int
    """Mails queued (one per planner with an e-mail)."""
    reason: str
    """Why this many: "queued", "nothing pending", "already sent today", "no planner..."."""


def queue_digest(
    sessions: sessionmaker[Session], now: datetime | None = None, force: bool = False
) -> DigestResult:
    """Queue today's digest for the planners, unless one was queued today (UTC) already
    (``force`` sends another) or nothing waits."""
    now = now or utc_now()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    with unit_of_work(sessions) as session:
        if not force and session.scalar(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.kind == KIND,
                OutboxMessage.created_at >= day_start,
                OutboxMessage.created_at < day_start + timedelta(days=1),
            )
            .limit(1)
        ):
            return DigestResult(0, "already sent today")
        items = pending(session)
        if not items:
            return DigestResult(0, "nothing pending")
        readers = planners_with_email(session)
        if not readers:
            return DigestResult(0, "no active planner or admin has an e-mail address")
        total = sum(item.count for item in items)
        notify_planners(
            session,
            subject=f"Sunshift: {total} request(s) wait for a planner",
            body=digest_body(items, now),
            kind=KIND,
            link="/periods",
        )
        for row in session.new:  # the digest belongs to the day it was asked for
            if isinstance(row, OutboxMessage):
                row.created_at = now
        return DigestResult(len(readers), "queued")


def digest_body(items: list[Pending], now: datetime) -> str:
    lines = [f"Waiting for a planner on {now:%a} {now.day} {now:%b %Y}:", ""]
    for item in items:
        where = f" in {item.period}" if item.period else ""
        since = f" (oldest since {item.oldest:%Y-%m-%d %H:%M} UTC)" if item.oldest else ""
        lines.append(f"  {item.count} {item.what}{where}{since}")
        if item.link:
            lines.append(f"    {absolute_link(item.link)}")
    lines += ["", "Planning periods:"]
    return "\n".join(lines)


def _load_sources() -> None:
    for name in SOURCE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:
                raise  # the module is there but something it imports is not: say so
