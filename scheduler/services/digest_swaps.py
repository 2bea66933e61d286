"""The digest's count of shift swaps waiting for a planner (state ``awaiting_planner``),
per period, read from the swaps table (``scheduler.storage.models_swaps``)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.services.digest import Pending, pending_source
from scheduler.storage import models as m
from scheduler.storage.models_swaps import ShiftSwap


@pending_source
def swaps_awaiting_planner(session: Session) -> list[Pending]:
    rows = session.execute(
        select(
            m.PlanningPeriod.id, m.PlanningPeriod.name, func.count(), func.min(ShiftSwap.created_at)
        )
        .join(ShiftSwap, ShiftSwap.period_id == m.PlanningPeriod.id)
        .where(ShiftSwap.state == "awaiting_planner")
        .group_by(m.PlanningPeriod.id, m.PlanningPeriod.name)
        .order_by(m.PlanningPeriod.name)
    )
    return [
        Pending("shift swap(s) waiting for a planner", count, name, f"/periods/{pid}/swaps", oldest)
        for pid, name, count, oldest in rows
    ]
