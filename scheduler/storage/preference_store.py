"""Agents' preferences in the database, to and from ``scheduler.domain.Preference``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scheduler.domain import Preference
from scheduler.storage import models as m
from scheduler.storage.models_preferences import AgentPreference

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def stored_value(preference: Preference) -> str:
    """The ``value`` column: a shift code, ``mon`` .. ``sun``, or an ISO date."""
    if preference.kind == "shift":
        return preference.shift_id
    if preference.kind == "day_off":
        return WEEKDAY_CODES[preference.weekday]
    return preference.date.isoformat()


def as_preference(agent_code: str, kind: str, value: str) -> Preference:
    if kind == "shift":
        return Preference(agent_code, kind, shift_id=value)
    if kind == "day_off":
        return Preference(agent_code, kind, weekday=WEEKDAY_CODES.index(value))
    return Preference(agent_code, kind, date=date.fromisoformat(value))


def store_file_preferences(
    session: Session, period: m.PlanningPeriod, preferences: Iterable[Preference]
) -> None:
    """Replace the period's preferences from preferences.csv; those agents stated on
    their pages stay (a re-import never drops what a user recorded)."""
    session.flush()  # new agents get their ids
    agent_ids = {
        code: agent_id
        for code, agent_id in session.execute(
            select(m.Agent.code, m.Agent.id).where(m.Agent.period_id == period.id)
        )
    }
    session.execute(
        delete(AgentPreference).where(
            AgentPreference.origin == "file",
            AgentPreference.agent_id.in_(list(agent_ids.values())),
        )
    )
    kept = set(
        session.execute(
            select(AgentPreference.agent_id, AgentPreference.kind, AgentPreference.value).where(
                AgentPreference.agent_id.in_(list(agent_ids.values()))
            )
        )
    )
    for preference in preferences:
        key = (agent_ids[preference.agent_id], preference.kind, stored_value(preference))
        if key in kept:
            continue
        kept.add(key)
        session.add(AgentPreference(agent_id=key[0], kind=key[1], value=key[2], origin="file"))


def load_preferences(session: Session, period_id: int) -> tuple[Preference, ...]:
    """Preferences of the period's active agents, in agents.csv order, oldest first."""
    rows = session.execute(
        select(m.Agent.code, AgentPreference.kind, AgentPreference.value)
        .join(m.Agent, AgentPreference.agent_id == m.Agent.id)
        .where(m.Agent.period_id == period_id, m.Agent.active.is_(True))
        .order_by(m.Agent.position, AgentPreference.id)
    )
    return tuple(as_preference(*row) for row in rows)
