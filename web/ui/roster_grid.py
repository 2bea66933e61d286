"""The roster grid: agents by day, each shift in its site's local time (no Flask here)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from calendars.public_holidays import site_holidays
from scheduler.domain import Agent, Scenario
from web.summary import format_offset


@dataclass(frozen=True)
class GridShift:
    shift_id: str
    start: str
    end: str
    offset: str
    locked: bool
    assignment_id: int | None

    @property
    def label(self) -> str:
        return f"{self.start}–{self.end}"


@dataclass(frozen=True)
class GridCell:
    shifts: tuple[GridShift, ...]
    time_off: str | None
    holiday: str | None


@dataclass(frozen=True)
class GridRow:
    agent: Agent
    site_name: str
    cells: tuple[GridCell, ...]
    hours: float


def local_shift(stored: dict[str, Any]) -> GridShift:
    """A stored assignment (``web.api.queries`` shape) as the grid shows it."""
    return GridShift(
        shift_id=stored["shift"],
        start=f"{stored['start_local']:%H:%M}",
        end=f"{stored['end_local']:%H:%M}",
        offset=f"UTC{format_offset(stored['start_local'].utcoffset())}",
        locked=stored["locked"],
        assignment_id=stored["id"],
    )


def matching_agents(
    scenario: Scenario, site_id: str = "", language: str = "", text: str = ""
) -> list[Agent]:
    """Agents of a site and language whose id or name contains ``text`` (any case)."""
    needle = text.strip().casefold()
    return [
        agent
        for agent in scenario.agents
        if (not site_id or agent.site_id == site_id)
        and (not language or language in agent.languages)
        and (not needle or needle in agent.id.casefold() or needle in agent.name.casefold())
    ]


def grid_rows(
    scenario: Scenario,
    agents: list[Agent],
    assignments: list[dict[str, Any]],
) -> list[GridRow]:
    """One row per agent, one cell per horizon date (the shift's local date), from
    stored assignments as ``web.api.queries.roster_assignments`` gives them."""
    dates = scenario.horizon.dates
    years = {dates[0].year, dates[-1].year}
    wanted = {agent.id for agent in agents}
    by_agent_day: dict[tuple[str, date], list[GridShift]] = defaultdict(list)
    hours: dict[str, float] = defaultdict(float)
    for stored in assignments:
        code = stored["agent_id"]
        if code in wanted:
            by_agent_day[(code, stored["date"])].append(local_shift(stored))
            hours[code] += (stored["end_utc"] - stored["start_utc"]).total_seconds() / 3600
    off: dict[tuple[str, date], str] = {}
    for block in scenario.time_off:
        if block.agent_id in wanted:
            for day in dates:
                if block.covers(day):
                    off[(block.agent_id, day)] = block.reason or "time off"
    holidays_of = {
        site.id: site_holidays(site.country, site.subdivision, years, site.extra_holidays)
        for site in scenario.sites
    }
    rows = []
    for agent in agents:
        site = scenario.site_of(agent)
        cells = tuple(
            GridCell(
                tuple(by_agent_day.get((agent.id, day), ())),
                off.get((agent.id, day)),
                holidays_of[site.id].get(day),
            )
            for day in dates
        )
        rows.append(GridRow(agent, site.name, cells, round(hours[agent.id], 2)))
    return rows
