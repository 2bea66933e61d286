"""The digest's count of pending time-off requests, per period that holds them (the
queue a planner decides them in: ``/periods/{id}/time-off-requests``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.services.digest import Pending, pending_source
from scheduler.services.time_off_requests import _periods_holding
from scheduler.storage import models as m
from scheduler.storage.models_requests import TimeOffRequest


@pending_source
def time_off_requests_pending(session: Session) -> list[Pending]:
    """A request shows in every period whose horizon it overlaps and that holds the
    agent (as the planners' queue shows it), so it is counted once per such period."""
    counts: dict[tuple[int, str], int] = defaultdict(int)
    oldest: dict[tuple[int, str], datetime] = {}
    rows = session.execute(
        select(TimeOffRequest, m.User)
        .join(m.User, m.User.id == TimeOffRequest.user_id)
        .where(TimeOffRequest.state == "pending")
    )
    for request, user in rows:
        for period, _agent in _periods_holding(session, user, request):
            key = (period.id, period.name)
            counts[key] += 1
            if key not in oldest or request.created_at < oldest[key]:
                oldest[key] = request.created_at
    return [
        Pending(
            "time-off request(s) pending",
            count,
            name,
            f"/periods/{period_id}/time-off-requests",
            oldest[(period_id, name)],
        )
        for (period_id, name), count in sorted(counts.items(), key=lambda item: item[0][1])
    ]
