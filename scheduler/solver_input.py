"""Scenario + requirements -> the solver's integer problem, and back.

Every calendar fact is resolved here, once: each site's shift on each local date
becomes a ``ShiftOption`` with real UTC minutes (DST-aware, gap starts dropped),
and each agent gets the options he may work (his site and allowed shifts, not on
time off, not on a public holiday his site does not work).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from calendars.public_holidays import site_holidays
from calendars.zones import ShiftInstants, shift_instants
from scheduler.domain import Agent, Assignment, HistoryShift, Scenario, Site
from scheduler.preferences import unmet_by
from scheduler.requirements import RequirementTable
from solver.input import AgentRules, ShiftOption, SolverAgent, SolverInput

NIGHT_STARTS_FROM_MINUTE = 20 * 60
NIGHT_STARTS_BEFORE_MINUTE = 4 * 60
WEEKEND = (5, 6)


@dataclass(frozen=True)
class OptionSource:
    """What a solver option stands for in the scenario's own terms."""

    site_id: str
    date: date
    shift_id: str
    instants: ShiftInstants


@dataclass(frozen=True)
class TranslatedProblem:
    problem: SolverInput
    sources: tuple[OptionSource, ...]
    agent_ids: tuple[str, ...]

    def assignments(self, chosen: tuple[tuple[int, int], ...]) -> tuple[Assignment, ...]:
        found = []
        for a, o in chosen:
            source = self.sources[o]
            found.append(
                Assignment(
                    agent_id=self.agent_ids[a],
                    site_id=source.site_id,
                    date=source.date,
                    shift_id=source.shift_id,
                    start_utc=source.instants.start_utc,
                    end_utc=source.instants.end_utc,
                    start_local=source.instants.start_local,
                    end_local=source.instants.end_local,
                )
            )
        return tuple(sorted(found, key=lambda x: (x.agent_id, x.start_utc)))

    def keys(
        self, assignments: Iterable[Assignment]
    ) -> tuple[frozenset[tuple[int, int]], list[Assignment]]:
        """Solver (agent, option) pairs of assignments that are still allowed, and
        the ones that are not (time off recorded since, agent gone, ...)."""
        agent_index = {agent_id: a for a, agent_id in enumerate(self.agent_ids)}
        option_index = {(s.site_id, s.date, s.shift_id): o for o, s in enumerate(self.sources)}
        found, refused = set(), []
        for shift in assignments:
            a = agent_index.get(shift.agent_id)
            o = option_index.get((shift.site_id, shift.date, shift.shift_id))
            if a is None or o is None or o not in self.problem.agents[a].options:
                refused.append(shift)
            else:
                found.add((a, o))
        return frozenset(found), refused


def holidays_of(site: Site, scenario: Scenario) -> dict[date, str]:
    dates = scenario.horizon.dates
    years = {d.year for d in dates} | {(dates[-1] + timedelta(days=1)).year}
    return site_holidays(site.country, site.subdivision, years, site.extra_holidays)


def build_problem(scenario: Scenario, requirements: RequirementTable) -> TranslatedProblem:
    horizon = scenario.horizon
    interval_seconds = horizon.interval_minutes * 60
    start_utc = horizon.start_utc
    options: list[ShiftOption] = []
    sources: list[OptionSource] = []
    option_index: dict[tuple[str, int, str], int] = {}
    holidays_by_site = {site.id: holidays_of(site, scenario) for site in scenario.sites}

    for s, site in enumerate(scenario.sites):
        holidays = holidays_by_site[site.id]
        for day, local_date in enumerate(horizon.dates):
            holiday_eve = (local_date + timedelta(days=1)) in holidays
            for t, template in enumerate(site.shifts):
                instants = shift_instants(site.timezone, local_date, template.start, template.hours)
                if instants is None:
                    continue  # the local start falls in a spring-forward gap
                start_seconds = (instants.start_utc - start_utc).total_seconds()
                end_seconds = (instants.end_utc - start_utc).total_seconds()
                first = max(0, math.ceil(start_seconds / interval_seconds))
                last = min(horizon.interval_count, math.floor(end_seconds / interval_seconds)) - 1
                local_minute = template.start.hour * 60 + template.start.minute
                option_index[site.id, day, template.id] = len(options)
                options.append(
                    ShiftOption(
                        site=s,
                        day=day,
                        template=t,
                        start_minute=int(start_seconds // 60),
                        end_minute=int(end_seconds // 60),
                        first_interval=first,
                        last_interval=last,
                        start_local_minute_of_day=local_minute,
                        is_night=local_minute >= NIGHT_STARTS_FROM_MINUTE
                        or local_minute < NIGHT_STARTS_BEFORE_MINUTE,
                        is_weekend=local_date.weekday() in WEEKEND,
                        is_holiday_eve=holiday_eve,
                    )
                )
                sources.append(OptionSource(site.id, local_date, template.id, instants))

    language_index = {name: i for i, name in enumerate(requirements.languages)}
    site_index = {site.id: s for s, site in enumerate(scenario.sites)}
    agents = tuple(
        _solver_agent(
            scenario, agent, site_index, language_index, option_index, holidays_by_site, options
        )
        for agent in scenario.agents
    )
    floors = tuple(
        scenario.coverage.min_agents if name in scenario.coverage.always_on else 0
        for name in requirements.languages
    )
    problem = SolverInput(
        days=horizon.days,
        interval_minutes=horizon.interval_minutes,
        interval_count=horizon.interval_count,
        languages=requirements.languages,
        options=tuple(options),
        agents=agents,
        required=tuple(tuple(requirements.required[name]) for name in requirements.languages),
        floor=floors,
        blocks=tuple(
            tuple(range(first, min(first + 7, horizon.days))) for first in range(0, horizon.days, 7)
        ),
        history_present=_history_present(scenario, agents),
    )
    return TranslatedProblem(problem, tuple(sources), tuple(a.id for a in scenario.agents))


def _solver_agent(
    scenario: Scenario,
    agent: Agent,
    site_index: dict[str, int],
    language_index: dict[str, int],
    option_index: dict[tuple[str, int, str], int],
    holidays_by_site: dict[str, dict[date, str]],
    options: list[ShiftOption],
) -> SolverAgent:
    site = scenario.site(agent.site_id)
    rest_minutes = int(math.ceil(site.rules.min_rest_hours * 60))
    history = [
        _history_span(shift, scenario) for shift in scenario.history_by_agent.get(agent.id, ())
    ]
    absences = scenario.time_off_of(agent.id)
    holidays = {} if site.rules.work_on_public_holidays else holidays_by_site[site.id]
    allowed = []
    for day, local_date in enumerate(scenario.horizon.dates):
        if local_date in holidays or any(t.covers(local_date) for t in absences):
            continue
        for shift_id in agent.shift_ids:
            index = option_index.get((site.id, day, shift_id))
            if index is not None and not _clashes(options[index], history, rest_minutes):
                allowed.append(index)
    preferences = scenario.preferences_by_agent.get(agent.id, ())
    costs = []
    if preferences:
        dates = scenario.horizon.dates
        for o in allowed:
            option = options[o]
            shift_id = site.shifts[option.template].id
            count = unmet_by(preferences, dates[option.day], shift_id)
            if count:
                costs.append((o, count))
    spread = site.rules.max_start_time_spread_hours
    return SolverAgent(
        site=site_index[site.id],
        languages=tuple(sorted(language_index[x] for x in agent.languages if x in language_index)),
        max_minutes_per_block=int(round(agent.hours_per_week * 60)),
        rules=AgentRules(
            min_rest_minutes=rest_minutes,
            max_consecutive_days=site.rules.max_consecutive_days,
            min_days_off_per_block=site.rules.min_days_off_per_week,
            max_start_spread_minutes=None if spread is None else math.floor(spread * 60 + 1e-9),
        ),
        preference_costs=tuple(costs),
        options=tuple(allowed),
        history_days=frozenset(
            (shift.date - scenario.horizon.start).days
            for shift in scenario.history_by_agent.get(agent.id, ())
        ),
    )


def _history_span(shift: HistoryShift, scenario: Scenario) -> tuple[int, int]:
    """A history shift in whole minutes from the horizon's start, widened to whole
    minutes (start down, end up) so the rest check never lets a second through."""
    start = (shift.start_utc - scenario.horizon.start_utc).total_seconds() / 60
    end = (shift.end_utc - scenario.horizon.start_utc).total_seconds() / 60
    return math.floor(start), math.ceil(end)


def _clashes(option: ShiftOption, history: list[tuple[int, int]], rest: int) -> bool:
    """The option starts within the rest time after a history shift (or overlaps it)."""
    return any(
        not (option.start_minute >= end + rest or start >= option.end_minute + rest)
        for start, end in history
    )


def _history_present(
    scenario: Scenario, agents: tuple[SolverAgent, ...]
) -> tuple[tuple[int, tuple[int, ...], int], ...]:
    """Intervals of the window covered whole by history shifts, per language set."""
    horizon = scenario.horizon
    step = horizon.interval
    count = horizon.interval_count
    index = {agent.id: a for a, agent in enumerate(scenario.agents)}
    present: dict[tuple[int, tuple[int, ...]], int] = {}
    for agent_id, shifts in scenario.history_by_agent.items():
        group = agents[index[agent_id]].languages
        if not group:
            continue
        covered: set[int] = set()
        for shift in shifts:
            first = -((horizon.start_utc - shift.start_utc) // step)  # ceiling division
            end = (shift.end_utc - horizon.start_utc) // step
            covered.update(range(max(0, first), min(end, count)))
        for t in covered:
            present[t, group] = present.get((t, group), 0) + 1
    return tuple((t, group, n) for (t, group), n in sorted(present.items()))
