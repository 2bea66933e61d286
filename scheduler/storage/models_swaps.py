"""Shift swaps between agents of one period: the offers, the shifts they hold while
open, and each period's auto-approval setting.

A swap names shifts by (agent row, local date): an agent works at most one shift
per date, and agent rows belong to one period, so the pair is the shift in that
period's published roster whatever version is published now.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.storage.models import Agent, Base, _one_of, utc_now

SWAP_STATES = ("pending", "awaiting_planner", "approved", "declined", "withdrawn", "refused")
"""pending: the colleague has not answered; awaiting_planner: she accepted and the swap
needs a planner (a coverage loss, or auto-approval off); approved: published; declined:
by the colleague, or by a planner; withdrawn: by the offerer while pending; refused: a
hard rule, or the roster changed under it, when it was accepted or decided."""
OPEN_SWAP_STATES = ("pending", "awaiting_planner")
AUTO_APPROVE_DEFAULT = True
"""A period without a setting row approves clean swaps by itself."""


class ShiftSwap(Base):
    """One agent's offer of his shift to a named colleague, for one of hers or for nothing."""

    __tablename__ = "shift_swaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("planning_periods.id", ondelete="CASCADE"), index=True
    )
    offerer_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    offered_date: Mapped[date] = mapped_column(Date)
    offered_shift: Mapped[str] = mapped_column(String(64))
    colleague_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    wanted_date: Mapped[date | None] = mapped_column(Date)
    """The colleague's shift asked for in exchange (None: a give-away)."""
    wanted_shift: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    """Why it awaits a planner, was refused or declined, in words."""
    findings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """The last check: ``{violations: [...], coverage: [{language, lost, dates}]}``."""
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    base_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("roster_versions.id", ondelete="SET NULL")
    )
    """The published version the swap was offered on."""
    result_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("roster_versions.id", ondelete="SET NULL")
    )
    """The published version that made the swap, once approved."""

    offerer: Mapped[Agent] = relationship(foreign_keys=[offerer_id])
    colleague: Mapped[Agent] = relationship(foreign_keys=[colleague_id])

    __table_args__ = (
        CheckConstraint(_one_of("state", SWAP_STATES), name="state"),
        CheckConstraint("offerer_id <> colleague_id", name="two_agents"),
        Index("ix_shift_swaps_offerer", "offerer_id"),
        Index("ix_shift_swaps_colleague", "colleague_id"),
    )


class SwapClaim(Base):
    """A shift held by an open swap: the primary key lets one open swap hold a shift, so
    of two offers of the same shift (or one asking for it) the database keeps the first.
    Rows are deleted when their swap closes, in the transaction that closes it."""

    __tablename__ = "swap_claims"

    agent_id: Mapped[int] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    swap_id: Mapped[int] = mapped_column(
        ForeignKey("shift_swaps.id", ondelete="CASCADE"), index=True
    )


class SwapSetting(Base):
    """A period's swap setting, planner-editable (no row: ``AUTO_APPROVE_DEFAULT``)."""

    __tablename__ = "swap_settings"

    period_id: Mapped[int] = mapped_column(
        ForeignKey("planning_periods.id", ondelete="CASCADE"), primary_key=True
    )
    auto_approve: Mapped[bool] = mapped_column(Boolean, default=AUTO_APPROVE_DEFAULT)
