"""Agents state their preferences for a period; planners set how many each may state.

An agent acts only for himself (his agent row in the period, found from his user);
the limit is counted with his agent row locked, and the unique constraint keeps a
wish once, so two tabs submitting at once never get past either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.domain import PREFERENCE_KINDS
from scheduler.imports.preferences import WEEKDAY_NAMES
from scheduler.services.errors import Conflict, InvalidInput, NotFound
from scheduler.storage import models as m
from scheduler.storage.models_preferences import AgentPreference
from scheduler.storage.preference_store import WEEKDAY_CODES
from scheduler.storage.repository import is_the_users_agent, record_audit

LIMIT_COLUMNS = {
    "shift": "max_shift_preferences",
    "day_off": "max_day_off_preferences",
    "avoid_date": "max_avoid_date_preferences",
}
MAX_LIMIT = {"shift": 10, "day_off": 3, "avoid_date": 14}
"""The most a planner may allow of each kind (3 weekdays off a week leaves 4 to work)."""


@dataclass(frozen=True)
class PreferenceLimits:
    shift: int
    day_off: int
    avoid_date: int

    def of(self, kind: str) -> int:
        return getattr(self, kind)


def limits_of(period: m.PlanningPeriod) -> PreferenceLimits:
    return PreferenceLimits(*(getattr(period, LIMIT_COLUMNS[kind]) for kind in PREFERENCE_KINDS))


def agent_in_period(session: Session, user: m.User, period_id: int, lock: bool = False) -> m.Agent:
    """The user's own active agent row in the period (NotFound otherwise: an agent
    never learns whether another agent's period exists)."""
    query = select(m.Agent).where(
        m.Agent.period_id == period_id, m.Agent.active.is_(True), is_the_users_agent(user)
    )
    if lock:
        query = query.with_for_update()
    agent = session.scalar(query)
    if agent is None:
        raise NotFound(f"you are not an agent of period {period_id}")
    return agent


def open_periods(
    session: Session, user: m.User, today: date
) -> list[tuple[m.Agent, list[AgentPreference]]]:
    """The user's agent rows in periods not yet over, each with his wishes there."""
    agents = session.scalars(
        select(m.Agent)
        .join(m.PlanningPeriod, m.Agent.period_id == m.PlanningPeriod.id)
        .where(is_the_users_agent(user), m.Agent.active.is_(True))
        .order_by(m.PlanningPeriod.horizon_start)
    ).all()
    found = []
    for agent in agents:
        period = agent.period
        if period.horizon_start + timedelta(days=period.horizon_days - 1) < today:
            continue  # a period that is over: nothing left to wish for
        rows = session.scalars(
            select(AgentPreference)
            .where(AgentPreference.agent_id == agent.id)
            .order_by(AgentPreference.kind, AgentPreference.id)
        ).all()
        found.append((agent, list(rows)))
    return found


def period_wishes(session: Session, period_id: int) -> list[tuple[str, str, AgentPreference]]:
    """(agent code, agent name, wish) of the period's active agents, in file order."""
    return [
        tuple(row)
        for row in session.execute(
            select(m.Agent.code, m.Agent.name, AgentPreference)
            .join(m.Agent, AgentPreference.agent_id == m.Agent.id)
            .where(m.Agent.period_id == period_id, m.Agent.active.is_(True))
            .order_by(m.Agent.position, AgentPreference.kind, AgentPreference.id)
        )
    ]


def state_preference(
    session: Session, user: m.User, period_id: int, kind: str, value: str
) -> AgentPreference:
    """Record one wish of the signed-in agent; InvalidInput names what is wrong."""
    agent = agent_in_period(session, user, period_id, lock=True)
    period = agent.period
    stored = _checked_value(agent, period, kind, value)
    limit = limits_of(period).of(kind)
    count = session.scalar(
        select(func.count())
        .select_from(AgentPreference)
        .where(AgentPreference.agent_id == agent.id, AgentPreference.kind == kind)
    )
    if count >= limit:
        raise InvalidInput(
            f"at most {limit} {kind} preference(s) in this period",
            [_error("kind", kind, f"you already stated {count}", f"at most {limit}")],
        )
    row = AgentPreference(agent_id=agent.id, kind=kind, value=stored, origin="app")
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict("you already stated this preference") from None
    details = {"kind": kind, "value": stored, "agent": agent.code}
    record_audit(session, user, "preference.state", "agent_preference", row.id, details)
    return row


def withdraw_preference(session: Session, user: m.User, preference_id: int) -> None:
    """Remove one of the signed-in agent's own wishes (404 for anyone else's)."""
    row = session.scalar(
        select(AgentPreference)
        .join(m.Agent, AgentPreference.agent_id == m.Agent.id)
        .where(AgentPreference.id == preference_id, is_the_users_agent(user))
    )
    if row is None:
        raise NotFound(f"no preference of yours with id {preference_id}")
    details = {"kind": row.kind, "value": row.value}
    session.delete(row)
    record_audit(session, user, "preference.withdraw", "agent_preference", preference_id, details)


def set_limits(
    session: Session, user: m.User, period_id: int, limits: dict[str, int]
) -> PreferenceLimits:
    """A planner sets how many wishes of each kind an agent may state (existing ones
    stay: a lower limit applies to new wishes only, nothing recorded is dropped)."""
    period = session.get(m.PlanningPeriod, period_id)
    if period is None:
        raise NotFound(f"no period with id {period_id}")
    errors = [
        _error(kind, limits.get(kind), "is out of range", f"a whole number from 0 to {most}")
        for kind, most in MAX_LIMIT.items()
        if not isinstance(limits.get(kind), int) or not 0 <= limits[kind] <= most
    ]
    if errors:
        raise InvalidInput("the limits have errors", errors)
    for kind, column in LIMIT_COLUMNS.items():
        setattr(period, column, limits[kind])
    record_audit(session, user, "preference.limits", "planning_period", period_id, limits)
    return limits_of(period)


def _checked_value(agent: m.Agent, period: m.PlanningPeriod, kind: str, value: str) -> str:
    text = (value or "").strip()
    if kind not in PREFERENCE_KINDS:
        raise InvalidInput(
            "unknown kind", [_error("kind", kind, "is not a kind", "shift, day_off or avoid_date")]
        )
    if kind == "shift":
        if text not in agent.shift_codes:
            expected = "one of your shifts: " + ", ".join(agent.shift_codes)
            raise InvalidInput("not your shift", [_error("value", text, "is not one", expected)])
        return text
    if kind == "day_off":
        number = WEEKDAY_NAMES.get(text.lower())
        if number is None:
            raise InvalidInput(
                "not a weekday", [_error("value", text, "is not a weekday", "mon .. sun")]
            )
        return WEEKDAY_CODES[number]
    first = period.horizon_start
    last = date.fromordinal(first.toordinal() + period.horizon_days - 1)
    expected = f"a date from {first.isoformat()} to {last.isoformat()}"
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "not a date", [_error("value", text, "is not a date", expected)]
        ) from None
    if not first <= day <= last:
        raise InvalidInput(
            "outside the period", [_error("value", text, "is outside the period", expected)]
        )
    return day.isoformat()


def _error(field: str, value: object, problem: str, expected: str) -> dict[str, object]:
    return {
        "file": None,
        "line": None,
        "field": field,
        "value": value,
        "expected": expected,
        "message": f"{field} {value!r} {problem}; expected {expected}",
    }
