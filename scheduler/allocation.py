"""The best allocation of the agents present in an interval to languages.

Used to write ``coverage.csv``: per interval, a max-flow of present agents
(grouped by the set of languages they speak) to languages, capped at what each
language requires; among maximum flows the cheapest one fills always-on floors
first. Augmenting paths never take flow away from a language, so a maximum
flow that also covers every coverable floor always exists: this allocation
minimises shortfall and, within it, floor gaps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from scheduler.domain import Assignment, CoverageRow, HistoryShift, Scenario
from scheduler.requirements import RequirementTable
from solver.allocation import allocate, staffed_by_language


def present_groups(
    scenario: Scenario, assignments: Iterable[Assignment | HistoryShift]
) -> list[Counter[tuple[str, ...]]]:
    """Per interval, how many agents of each language set cover it whole."""
    horizon = scenario.horizon
    step = horizon.interval
    count = horizon.interval_count
    wanted = set(scenario.languages)
    per_interval: list[Counter[tuple[str, ...]]] = [Counter() for _ in range(count)]
    for shift in assignments:
        spoken = tuple(sorted(x for x in scenario.agent(shift.agent_id).languages if x in wanted))
        if not spoken:
            continue
        first = -(-(shift.start_utc - horizon.start_utc) // step)  # ceiling division
        last = (shift.end_utc - horizon.start_utc) // step - 1
        for t in range(max(0, first), min(count - 1, last) + 1):
            per_interval[t][spoken] += 1
    return per_interval


def allocate_interval(
    groups: Counter[tuple[str, ...]], required: dict[str, int], floors: dict[str, int]
) -> dict[str, int]:
    """Staffed agents per language for one interval (never above ``required``)."""
    staffed = staffed_by_language(allocate(groups, required, floors))
    return {name: staffed.get(name, 0) for name in required}


def coverage_rows(
    scenario: Scenario, requirements: RequirementTable, assignments: Sequence[Assignment]
) -> tuple[CoverageRow, ...]:
    floors = {name: scenario.coverage.min_agents for name in scenario.coverage.always_on}
    history = [shift for shifts in scenario.history_by_agent.values() for shift in shifts]
    groups = present_groups(scenario, [*assignments, *history])  # history runs into the window
    rows = []
    for t, start in enumerate(requirements.interval_starts_utc):
        required = {name: requirements.at(name, t) for name in requirements.languages}
        staffed = allocate_interval(groups[t], required, floors)
        rows.extend(
            CoverageRow(start, name, required[name], staffed[name])
            for name in requirements.languages
        )
    return tuple(rows)


def shortfall_of(rows: Iterable[CoverageRow]) -> int:
    return sum(max(0, row.required - row.staffed) for row in rows)


def floor_gaps_of(scenario: Scenario, rows: Iterable[CoverageRow]) -> int:
    always_on = set(scenario.coverage.always_on)
    floor = scenario.coverage.min_agents
    return sum(1 for row in rows if row.language in always_on and row.staffed < floor)


__all__ = ["coverage_rows", "shortfall_of", "floor_gaps_of", "allocate_interval"]
