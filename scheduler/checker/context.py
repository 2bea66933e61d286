"""Facts the rules look up many times, computed once per check.

Holidays per site and the true instants of every (site, date, shift) are
resolved here, so the rules stay small and a 2,500-agent roster checks fast.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

from calendars.public_holidays import site_holidays
from calendars.zones import ShiftInstants, shift_instants
from scheduler.domain import Agent, Assignment, Roster, Scenario, Site, TimeOff


@dataclass(frozen=True)
class WorkedShift:
    """A roster row with the instants the rules use.

    Those are the true instants of the site's shift template when it resolves
    (what the agent will really work), else the instants the row states.
    """

    assignment: Assignment
    start_utc: datetime
    end_utc: datetime

    @property
    def date(self) -> date:
        return self.assignment.date

    @property
    def hours(self) -> float:
        return (self.end_utc - self.start_utc) / timedelta(hours=1)


class CheckContext:
    """A scenario and a roster, with lookups precomputed for the rules."""

    def __init__(self, scenario: Scenario, roster: Roster) -> None:
        self.scenario = scenario
        self.roster = roster
        self._instants: dict[tuple[str, date, str], ShiftInstants | None] = {}

    @cached_property
    def horizon_dates(self) -> frozenset[date]:
        return frozenset(self.scenario.horizon.dates)

    @cached_property
    def holidays(self) -> dict[str, dict[date, str]]:
        """Public holidays of each site over every year the roster or horizon touches."""
        years = {day.year for day in self.scenario.horizon.dates}
        years |= {a.date.year for a in self.roster.assignments}
        return {
            site.id: site_holidays(site.country, site.subdivision, years, site.extra_holidays)
            for site in self.scenario.sites
        }

    @cached_property
    def time_off(self) -> dict[str, tuple[TimeOff, ...]]:
        found: dict[str, list[TimeOff]] = defaultdict(list)
        for absence in self.scenario.time_off:
            found[absence.agent_id].append(absence)
        return {agent_id: tuple(items) for agent_id, items in found.items()}

    def known_shift(self, agent: Agent, shift_id: str) -> bool:
        """The shift exists at the agent's site and the agent may work it."""
        site = self.scenario.site_of(agent)
        return shift_id in agent.shift_ids and any(t.id == shift_id for t in site.shifts)

    def instants(self, site: Site, day: date, shift_id: str) -> ShiftInstants | None:
        """True instants of a site's shift on a local date; None in a DST gap."""
        key = (site.id, day, shift_id)
        if key not in self._instants:
            template = site.shift(shift_id)
            self._instants[key] = shift_instants(site.timezone, day, template.start, template.hours)
        return self._instants[key]

    @cached_property
    def shifts_by_agent(self) -> dict[str, list[WorkedShift]]:
        """Each known agent's rows in time order, with the instants rules rely on."""
        found: dict[str, list[WorkedShift]] = defaultdict(list)
        agents = self.scenario.agents_by_id
        for row in self.roster.assignments:
            agent = agents.get(row.agent_id)
            if agent is None:
                continue
            truth = None
            if self.known_shift(agent, row.shift_id):
                truth = self.instants(self.scenario.site_of(agent), row.date, row.shift_id)
            if truth is None:
                found[agent.id].append(WorkedShift(row, row.start_utc, row.end_utc))
            else:
                found[agent.id].append(WorkedShift(row, truth.start_utc, truth.end_utc))
        for shifts in found.values():
            shifts.sort(key=lambda s: (s.start_utc, s.end_utc))
        return dict(found)
