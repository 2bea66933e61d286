"""A re-solve "as if" a pending time-off request were approved: the job's scenario gets
the request's dates as time off for that solve only (nothing is recorded), so a
planner sees what a re-solve around the absence would leave before deciding."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy.orm import Session

from scheduler.domain import Scenario, TimeOff
from scheduler.storage import models as m
from scheduler.storage.models_requests import TimeOffRequest

OPTION = "time_off_request_id"
"""The solve job option naming the request (``solve_jobs.options``)."""


def with_requested_time_off(
    session: Session, scenario: Scenario, period_id: int, request_id: int
) -> tuple[Scenario, str]:
    """The scenario with the request's days (within the period) as time off, and a
    line for the job's log saying what was added (or why nothing was)."""
    request = session.get(TimeOffRequest, request_id)
    period = session.get(m.PlanningPeriod, period_id)
    if request is None or period is None:
        return scenario, f"time-off request {request_id} not found: solved without it"
    if request.agent_code not in {agent.id for agent in scenario.agents}:
        return scenario, f"{request.agent_code} is not an agent of this period: solved as is"
    last_day = period.horizon_start + timedelta(days=period.horizon_days - 1)
    first, last = max(request.start_date, period.horizon_start), min(request.end_date, last_day)
    if first > last:
        return scenario, f"time-off request {request_id} is outside the period: solved as is"
    absence = TimeOff(request.agent_code, first, last, f"request {request.id} (what if)")
    what = (
        f"as if time-off request {request.id} were approved: {request.agent_code} off "
        f"{first.isoformat()}..{last.isoformat()} for this solve only"
    )
    return replace(scenario, time_off=(*scenario.time_off, absence)), what
