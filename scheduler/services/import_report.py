"""What an import changes, and what the planner must know about it.

A re-import must never surprise: the report lists agents and sites added and
removed, whether the forecast (or required) rows, settings and time off from
the files changed, every warning ``sunshift validate`` prints, the conflicts
between the new files and what was recorded in the app (both are kept; the
planner decides), and other periods' published rosters the imported dates and
agents overlap. The report is returned to the caller and stored in the import's
audit entry, so the period page shows the last one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.domain import Scenario
from scheduler.storage import models as m
from scheduler.storage import period_mapper, repository

SHOWN = 50
"""Names listed per kind of change; the count is always complete."""


@dataclass
class ImportReport:
    """JSON-ready (``as_dict``) account of one import."""

    period_id: int
    reimport: bool
    warnings: list[dict[str, Any]] = field(default_factory=list)
    """Every warning the CLI prints, shaped like an input error (file, line, field...)."""
    changes: dict[str, Any] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    """Things recorded in the app that the new files contradict: {kind, agent_id, message}."""
    overlaps: list[dict[str, Any]] = field(default_factory=list)
    """Other periods' published rosters on the same dates for some of the same agents."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Before:
    """What a period held before a re-import (read in the import's transaction)."""

    scenario: Scenario
    file_time_off: frozenset[tuple[str, date, date, str]]


def read_before(session: Session, period_id: int) -> Before:
    scenario = period_mapper.to_domain(session, period_id)
    rows = session.execute(
        select(m.Agent.code, m.TimeOff.start_date, m.TimeOff.end_date, m.TimeOff.reason)
        .join(m.Agent)
        .where(m.Agent.period_id == period_id, m.Agent.active, m.TimeOff.origin == "file")
    )
    return Before(scenario, frozenset(tuple(row) for row in rows))


def changes(before: Before | None, after: Scenario) -> dict[str, Any]:
    """Added and removed agents, sites and languages; changed demand, settings, time off."""
    if before is None:
        return {
            "agents_added": _listed(a.id for a in after.agents),
            "sites_added": _listed(s.id for s in after.sites),
        }
    old = before.scenario
    old_agents = {a.id: a for a in old.agents}
    new_agents = {a.id: a for a in after.agents}
    old_sites = {s.id: s for s in old.sites}
    new_sites = {s.id: s for s in after.sites}
    old_off = before.file_time_off
    new_off = {(t.agent_id, t.start_date, t.end_date, t.reason) for t in after.time_off}
    settings = [
        name
        for name in (
            "horizon",
            "phone",
            "chat",
            "email",
            "messaging",
            "markets",
            "staffing",
            "coverage",
            "rules",
        )
        if getattr(old, name) != getattr(after, name)
    ]
    return {
        "agents_added": _listed(sorted(new_agents.keys() - old_agents.keys())),
        "agents_removed": _listed(sorted(old_agents.keys() - new_agents.keys())),
        "agents_changed": _listed(
            sorted(
                code
                for code in new_agents.keys() & old_agents.keys()
                if new_agents[code] != old_agents[code]
            )
        ),
        "sites_added": _listed(sorted(new_sites.keys() - old_sites.keys())),
        "sites_removed": _listed(sorted(old_sites.keys() - new_sites.keys())),
        "sites_changed": _listed(
            sorted(
                code
                for code in new_sites.keys() & old_sites.keys()
                if new_sites[code] != old_sites[code]
            )
        ),
        "languages_added": sorted(_languages(after) - _languages(old)),
        "languages_removed": sorted(_languages(old) - _languages(after)),
        "forecast_changed": old.forecast != after.forecast,
        "required_changed": old.required != after.required,
        "settings_changed": settings,
        "time_off_added": _listed(_absence_text(t) for t in sorted(new_off - old_off)),
        "time_off_removed": _listed(_absence_text(t) for t in sorted(old_off - new_off)),
    }


def _listed(items: Iterable[str]) -> dict[str, Any]:
    names = list(items)
    return {"count": len(names), "names": names[:SHOWN]}


def _languages(scenario: Scenario) -> set[str]:
    found = set(scenario.coverage.always_on)
    for rows in (scenario.forecast or (), scenario.required or ()):
        found.update(row.language for row in rows)
    return found


def _absence_text(absence: tuple[str, date, date, str]) -> str:
    agent, start, end, reason = absence
    days = start.isoformat() if start == end else f"{start.isoformat()}..{end.isoformat()}"
    return f"{agent} {days} {reason}".rstrip()


def conflicts(session: Session, period_id: int, after: Scenario) -> list[dict[str, Any]]:
    """Time off recorded in the app that the new files contradict, and locked shifts
    of the published roster and the newest draft the new data no longer allows.
    Nothing is resolved here: everything recorded stays stored."""
    found: list[dict[str, Any]] = []
    agents = {a.id: a for a in after.agents}
    file_off: dict[str, list[tuple[date, date, str]]] = {}
    for t in after.time_off:
        file_off.setdefault(t.agent_id, []).append((t.start_date, t.end_date, t.reason))
    app_rows = session.execute(
        select(m.Agent.code, m.TimeOff.start_date, m.TimeOff.end_date, m.TimeOff.reason)
        .join(m.Agent)
        .where(m.Agent.period_id == period_id, m.TimeOff.origin != "file")
        .order_by(m.TimeOff.position, m.TimeOff.id)
    )
    for code, start, end, reason in app_rows:
        recorded = _absence_text((code, start, end, reason))
        if code not in agents:
            found.append(
                {
                    "kind": "time_off_agent_removed",
                    "agent_id": code,
                    "message": f"time off recorded in the app ({recorded}) is kept, but "
                    f"{code} is no longer in agents.csv, so it is not used",
                }
            )
            continue
        for first, last, other in file_off.get(code, ()):
            if first <= end and start <= last:
                found.append(
                    {
                        "kind": "time_off_overlap",
                        "agent_id": code,
                        "message": f"time off recorded in the app ({recorded}) overlaps "
                        f"time_off.csv ({_absence_text((code, first, last, other))}); both "
                        "are kept: remove one in time_off.csv or leave both",
                    }
                )
    found.extend(_locked_conflicts(session, period_id, after, agents, file_off))
    return found


def _locked_conflicts(
    session: Session,
    period_id: int,
    after: Scenario,
    agents: dict,
    file_off: dict[str, list[tuple[date, date, str]]],
) -> list[dict[str, Any]]:
    versions = []
    published = repository.published_version(session, period_id)
    if published is not None:
        versions.append(published)
    draft = session.scalar(
        select(m.RosterVersion)
        .filter_by(period_id=period_id, state="draft")
        .order_by(m.RosterVersion.id.desc())
        .limit(1)
    )
    if draft is not None:
        versions.append(draft)
    sites = {s.id: s for s in after.sites}
    found = []
    for version in versions:
        rows = session.execute(
            select(m.Agent.code, m.Assignment.local_date, m.Assignment.shift_code)
            .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
            .where(m.Assignment.roster_version_id == version.id, m.Assignment.locked)
            .order_by(m.Agent.code, m.Assignment.local_date)
        )
        for code, day, shift in rows:
            shift_text = f"locked shift {code} {day.isoformat()} {shift} of version {version.id}"
            agent = agents.get(code)
            if agent is None:
                reason = f"{code} is no longer in agents.csv"
            elif shift not in agent.shift_ids or sites.get(agent.site_id) is None:
                reason = f"{code} may no longer work shift {shift}"
            elif any(first <= day <= last for first, last, _ in file_off.get(code, ())):
                reason = f"time_off.csv now gives {code} time off that day"
            else:
                continue
            found.append(
                {
                    "kind": "locked_shift",
                    "agent_id": code,
                    "message": f"{shift_text} is kept, but {reason}: a re-solve drops it",
                }
            )
    return found


def overlaps(session: Session, period: m.PlanningPeriod) -> list[dict[str, Any]]:
    """Other periods with a published roster on dates of ``period`` for some of the
    same agents (matched by agent id, as publishing matches them)."""
    start = period.horizon_start
    end = start + timedelta(days=period.horizon_days)
    codes = set(session.scalars(select(m.Agent.code).filter_by(period_id=period.id, active=True)))
    found = []
    others = session.scalars(
        select(m.PlanningPeriod)
        .join(m.RosterVersion, m.RosterVersion.period_id == m.PlanningPeriod.id)
        .where(m.PlanningPeriod.id != period.id, m.RosterVersion.state == "published")
        .order_by(m.PlanningPeriod.id)
    )
    for other in others:
        other_start = other.horizon_start
        other_end = other_start + timedelta(days=other.horizon_days)
        if not (start < other_end and other_start < end):
            continue
        shared = codes & set(
            session.scalars(select(m.Agent.code).filter_by(period_id=other.id, active=True))
        )
        if shared:
            last = other_end - timedelta(days=1)
            found.append(
                {
                    "period_id": other.id,
                    "period_name": other.name,
                    "start": other_start.isoformat(),
                    "end": last.isoformat(),
                    "shared_agents": len(shared),
                    "example_agent": min(shared),
                    "message": f"period {other.name!r} has a published roster from "
                    f"{other_start} to {last} for {len(shared)} of the same agents "
                    f"(e.g. {min(shared)}): they would see both rosters' shifts; re-import "
                    f"these files into {other.name!r} instead, or make the periods' dates "
                    "not overlap",
                }
            )
    return found
