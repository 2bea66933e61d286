"""An agent's calendar: his shifts in the published roster of each recent period and
his site's public holidays, merged into one iCalendar (built with ``icalendar``).

Served by the subscription feed (``/ical/<token>.ics``) and the agent's own
download page alike, so both always hold the same events.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.domain import Scenario
from scheduler.exports import agent_calendar
from scheduler.exports.ical import PRODUCT_ID
from scheduler.storage import models as m
from scheduler.storage.repository import is_the_users_agent
from scheduler.storage.scenario_store import load_period_scenario, load_roster

FEED_HISTORY_DAYS = 92
"""The feed keeps periods whose horizon ended at most this many days ago (plus all later)."""


def published_periods(session: Session, user: m.User, today: date) -> list[tuple[int, int]]:
    """(period id, published version id) of recent periods the user is an agent of (his
    code and, when he has one, his e-mail), oldest first."""
    oldest_end = today - timedelta(days=FEED_HISTORY_DAYS)
    query = (
        select(
            m.PlanningPeriod.id,
            m.RosterVersion.id,
            m.PlanningPeriod.horizon_start,
            m.PlanningPeriod.horizon_days,
        )
        .join(m.RosterVersion, m.RosterVersion.period_id == m.PlanningPeriod.id)
        .join(m.Agent, m.Agent.period_id == m.PlanningPeriod.id)
        .where(
            m.RosterVersion.state == "published",
            is_the_users_agent(user),
            m.Agent.active.is_(True),
        )
        .order_by(m.PlanningPeriod.horizon_start, m.PlanningPeriod.id)
    )
    return [
        (period_id, version_id)
        for period_id, version_id, start, days in session.execute(query)
        if start + timedelta(days=days) > oldest_end
    ]


def merged_calendar(
    session: Session,
    user_name: str,
    agent_code: str,
    periods: list[tuple[int, int]],
    scenario_of: Callable[[Session, int], Scenario] | None = None,
) -> bytes:
    """One feed from each period's calendar; a later period's event wins on a shared UID.

    ``scenario_of(session, period_id)`` reads a period (default: from the database; the
    feed passes the kept one of ``web.agent_cache``)."""
    stamp = datetime.now(UTC)
    merged = Calendar()
    merged.add("prodid", PRODUCT_ID)
    merged.add("version", "2.0")
    merged.add("calscale", "GREGORIAN")
    merged.add("method", "PUBLISH")
    events: dict[str, object] = {}
    header: Calendar | None = None
    for period_id, version_id in periods:
        if scenario_of is None:
            scenario = load_period_scenario(session, period_id, demand=False)
        else:
            scenario = scenario_of(session, period_id)
        roster = load_roster(session, version_id, agent_code=agent_code, coverage=False)
        header = Calendar.from_ical(agent_calendar(scenario, roster, agent_code, stamp_utc=stamp))
        for event in header.walk("VEVENT"):
            events[str(event["UID"])] = event
    merged.add("x-wr-calname", header["X-WR-CALNAME"] if header else f"Shifts of {user_name}")
    if header is not None:
        merged.add("x-wr-timezone", header["X-WR-TIMEZONE"])
    for event in events.values():
        merged.add_component(event)
    return merged.to_ical()
