"""What a time-off request would cost in coverage if approved and nobody replaced him.

The roster's coverage is the min-cost allocation of ``scheduler.allocation`` per
interval; removing the agent's shifts on the requested dates changes only the
intervals those shifts cover, so only those are allocated again, with and without
him, from the same scenario (the same way ``rebuild_after_edit`` recomputes an
edit). The impact is the shortfall difference per language and interval: exactly
what recomputing the whole coverage of the roster without his shifts would add.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from calendars.zones import iso_local, iso_utc
from scheduler.allocation import allocate_interval, present_groups
from scheduler.domain import Assignment, Scenario
from scheduler.requirements import RequirementTable


@dataclass(frozen=True)
class IntervalImpact:
    start_utc: datetime
    language: str
    required: int
    staffed_before: int
    staffed_after: int
    added_shortfall: int
    """max(0, required - after) - max(0, required - before)."""


@dataclass(frozen=True)
class Impact:
    """The shortfall approving would add to a roster, in agent-intervals."""

    removed: tuple[Assignment, ...]
    """His shifts on the requested dates (they would leave the roster)."""
    intervals: tuple[IntervalImpact, ...] = ()
    by_language: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_language.values())

    def as_dict(self, interval_minutes: int) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_language": dict(sorted(self.by_language.items())),
            "interval_minutes": interval_minutes,
            "removed_shifts": [
                {
                    "date": a.date.isoformat(),
                    "shift": a.shift_id,
                    "start_utc": iso_utc(a.start_utc),
                    "end_utc": iso_utc(a.end_utc),
                    "start_local": iso_local(a.start_local),
                    "end_local": iso_local(a.end_local),
                }
                for a in self.removed
            ],
            "intervals": [
                {
                    "start_utc": iso_utc(i.start_utc),
                    "language": i.language,
                    "required": i.required,
                    "staffed_before": i.staffed_before,
                    "staffed_after": i.staffed_after,
                    "added_shortfall": i.added_shortfall,
                }
                for i in self.intervals
            ],
        }


def staffing_impact(
    scenario: Scenario,
    requirements: RequirementTable,
    assignments: Sequence[Assignment],
    agent_code: str,
    first: date,
    last: date,
) -> Impact:
    """The shortfall added per language and interval if ``agent_code``'s shifts on
    local dates ``first``..``last`` were removed from ``assignments``."""
    removed = tuple(a for a in assignments if a.agent_id == agent_code and first <= a.date <= last)
    if not removed:
        return Impact(())
    gone = {id(a) for a in removed}
    kept = [a for a in assignments if id(a) not in gone]
    history = [shift for shifts in scenario.history_by_agent.values() for shift in shifts]
    before = present_groups(scenario, [*assignments, *history])
    after = present_groups(scenario, [*kept, *history])
    floors = {name: scenario.coverage.min_agents for name in scenario.coverage.always_on}
    starts = requirements.interval_starts_utc
    step = scenario.horizon.interval
    intervals = []
    by_language: Counter[str] = Counter()
    for t, start in enumerate(starts):
        if not any(s.start_utc < start + step and start < s.end_utc for s in removed):
            continue
        required = {name: requirements.at(name, t) for name in requirements.languages}
        staffed_before = allocate_interval(before[t], required, floors)
        staffed_after = allocate_interval(after[t], required, floors)
        for name in requirements.languages:
            need = required[name]
            added = max(0, need - staffed_after[name]) - max(0, need - staffed_before[name])
            if added:
                by_language[name] += added
                intervals.append(
                    IntervalImpact(
                        start, name, need, staffed_before[name], staffed_after[name], added
                    )
                )
    return Impact(removed, tuple(intervals), {k: v for k, v in by_language.items() if v})
