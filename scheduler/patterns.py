"""How steady each agent's weeks are: distinct local start times per 7-day block.

An agent on early, evening, night and early again in one week has 3 start times
too many; planners see this per agent on the roster page, and the optimizer
penalises each further start time (``start_time_changes``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.domain import Assignment, Horizon, Scenario


@dataclass(frozen=True)
class Pattern:
    agent_id: str
    weeks: int
    """7-day blocks in which he works at least one shift."""
    start_times: int
    """Distinct local start times summed over those blocks."""
    widest_hours: float
    """The widest clock distance between two starts of one block (the shorter way
    round midnight)."""

    @property
    def extra_starts(self) -> int:
        return self.start_times - self.weeks

    @property
    def per_week(self) -> float:
        """Start times per worked week: 1.0 is the steadiest."""
        return self.start_times / self.weeks if self.weeks else 0.0


def _clock_hours(first: int, second: int) -> float:
    apart = abs(first - second) % 1440
    return min(apart, 1440 - apart) / 60


def start_patterns(horizon: Horizon, assignments: Iterable[Assignment]) -> dict[str, Pattern]:
    starts: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    first = horizon.start
    for row in assignments:
        block = (row.date - first).days // 7
        local = row.start_local
        starts[row.agent_id][block].add(local.hour * 60 + local.minute)
    found = {}
    for agent_id, blocks in starts.items():
        widest = max(
            (_clock_hours(a, b) for minutes in blocks.values() for a in minutes for b in minutes),
            default=0.0,
        )
        found[agent_id] = Pattern(
            agent_id, len(blocks), sum(len(m) for m in blocks.values()), widest
        )
    return found


def pattern_summary(horizon: Horizon, assignments: Iterable[Assignment]) -> dict[str, float | int]:
    """The roster's steadiness in numbers for the summary: worked agent-weeks, how many
    of them have one start time, and start times per worked week."""
    patterns = start_patterns(horizon, assignments).values()
    weeks = sum(p.weeks for p in patterns)
    extra = sum(p.extra_starts for p in patterns)
    return {
        "agent_weeks": weeks,
        "extra_start_times": extra,
        "start_times_per_week": round((weeks + extra) / weeks, 2) if weeks else 0.0,
    }


PATTERN_ROWS_SHOWN = 25


@dataclass(frozen=True)
class PatternTable:
    """The roster page's view: the least steady agents first, and the roster's totals."""

    rows: list[tuple[Pattern, str, str]]
    """(pattern, agent name, site id) of the least steady agents, most start times first."""
    steady_agents: int
    agents: int
    summary: dict[str, float | int]


def pattern_table(scenario: Scenario, assignments: Iterable[Assignment]) -> PatternTable:
    rows = list(assignments)
    patterns = start_patterns(scenario.horizon, rows)
    unsteady = sorted(
        (p for p in patterns.values() if p.extra_starts),
        key=lambda p: (-p.per_week, -p.widest_hours, p.agent_id),
    )
    agents = scenario.agents_by_id
    shown = [
        (
            p,
            agents[p.agent_id].name if p.agent_id in agents else p.agent_id,
            agents[p.agent_id].site_id if p.agent_id in agents else "",
        )
        for p in unsteady[:PATTERN_ROWS_SHOWN]
    ]
    return PatternTable(
        rows=shown,
        steady_agents=len(patterns) - len(unsteady),
        agents=len(patterns),
        summary=pattern_summary(scenario.horizon, rows),
    )
