"""Agents' time-off requests and the days a pending request holds.

A request belongs to the person (the user who asked), not to one period: his
dates may fall in a period imported later. Planners see it in the queue of every
period whose horizon it overlaps and where the user has an agent row.

``time_off_request_days`` is the database's own guard against two pending
requests of one user on the same date: a pending request writes one row per date
(primary key user, day) in the transaction that creates it, and the rows go when
it is withdrawn or decided. Two overlapping requests sent at once: the second
INSERT fails on SQLite and PostgreSQL alike, whichever commits first.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.storage.models import Base, _one_of, utc_now

REQUEST_STATES = ("pending", "approved", "declined", "withdrawn")


class TimeOffRequest(Base):
    """Whole days off an agent asked for, and what became of it."""

    __tablename__ = "time_off_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    agent_code: Mapped[str] = mapped_column(String(64))
    """The user's agent code when he asked (agents.csv id)."""
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    decided_at: Mapped[datetime | None] = mapped_column()
    """When it was approved, declined or withdrawn."""
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    """Why it was declined (required then), or the planner's note on approval."""
    outcome: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """What approving did: ``time_off`` (per period, the time-off row) and ``drafts``
    (per period, the draft made without his shifts)."""
    impact_job_id: Mapped[int | None] = mapped_column(
        ForeignKey("solve_jobs.id", ondelete="SET NULL")
    )
    """The last re-solve a planner asked for to see the impact after one."""

    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        CheckConstraint(_one_of("state", REQUEST_STATES), name="state"),
        Index("ix_time_off_requests_dates", "start_date", "end_date"),
    )


class PendingRequestDay(Base):
    """One date of one user's pending request (see the module docstring)."""

    __tablename__ = "time_off_request_days"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("time_off_requests.id", ondelete="CASCADE"), index=True
    )
