"""Two rosters of one period side by side: what changes for each agent, in his own
local time, and what it does to each language's shortfall.

Shifts are matched per agent and local date: a shift in both (same template, same
instants) is kept; on a date where both rosters give the agent a shift but not the
same one, the shift *moved* (paired in start order); what is left is *added* (only
in the later roster) or *removed* (only in the earlier one). A shift that moves to
another date reads as removed on one date and added on the other.

A language's shortfall is its missing agent-intervals over the horizon (required
above staffed, summed per interval: ``scheduler.allocation.shortfall_of`` per
language), taken from each roster's own coverage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from scheduler.domain import Assignment, CoverageRow, Roster

ADDED, REMOVED, MOVED = "added", "removed", "moved"


@dataclass(frozen=True)
class ShiftChange:
    """One change to an agent's shifts: ``before`` is None when added, ``after`` when
    removed; a moved shift has both."""

    kind: str
    date: date
    before: Assignment | None
    after: Assignment | None


@dataclass(frozen=True)
class AgentChanges:
    agent_id: str
    changes: tuple[ShiftChange, ...]

    def count(self, kind: str) -> int:
        return sum(change.kind == kind for change in self.changes)


@dataclass(frozen=True)
class LanguageShortfall:
    language: str
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    agents: tuple[AgentChanges, ...]
    """Only agents with a change, by agent id."""
    kept: int
    languages: tuple[LanguageShortfall, ...]

    def count(self, kind: str) -> int:
        return sum(agent.count(kind) for agent in self.agents)

    @property
    def shortfall_before(self) -> int:
        return sum(row.before for row in self.languages)

    @property
    def shortfall_after(self) -> int:
        return sum(row.after for row in self.languages)


def compare_rosters(before: Roster, after: Roster) -> Comparison:
    """How ``after`` differs from ``before`` (two rosters of the same period)."""
    old = _by_agent_and_date(before.assignments)
    new = _by_agent_and_date(after.assignments)
    kept = 0
    agents = []
    for agent_id in sorted(set(old) | set(new)):
        changes: list[ShiftChange] = []
        days = set(old.get(agent_id, {})) | set(new.get(agent_id, {}))
        for day in sorted(days):
            was = old.get(agent_id, {}).get(day, [])
            now = new.get(agent_id, {}).get(day, [])
            same = {_identity(a) for a in was} & {_identity(a) for a in now}
            kept += len(same)
            gone = [a for a in was if _identity(a) not in same]
            came = [a for a in now if _identity(a) not in same]
            for one, other in zip(gone, came, strict=False):
                changes.append(ShiftChange(MOVED, day, one, other))
            changes += [ShiftChange(REMOVED, day, a, None) for a in gone[len(came) :]]
            changes += [ShiftChange(ADDED, day, None, a) for a in came[len(gone) :]]
        if changes:
            agents.append(AgentChanges(agent_id, tuple(changes)))
    return Comparison(
        agents=tuple(agents),
        kept=kept,
        languages=_shortfalls(before.coverage, after.coverage),
    )


def _identity(shift: Assignment) -> tuple:
    return shift.shift_id, shift.start_utc, shift.end_utc


def _by_agent_and_date(shifts: Iterable[Assignment]) -> dict[str, dict[date, list[Assignment]]]:
    found: dict[str, dict[date, list[Assignment]]] = defaultdict(lambda: defaultdict(list))
    for shift in sorted(shifts, key=lambda a: (a.start_utc, a.shift_id)):
        found[shift.agent_id][shift.date].append(shift)
    return found


def _shortfalls(
    before: Iterable[CoverageRow], after: Iterable[CoverageRow]
) -> tuple[LanguageShortfall, ...]:
    sums: list[dict[str, int]] = []
    for rows in (before, after):
        missing: dict[str, int] = defaultdict(int)
        for row in rows:
            missing[row.language] += max(0, row.required - row.staffed)
        sums.append(missing)
    languages = sorted(set(sums[0]) | set(sums[1]))
    return tuple(LanguageShortfall(lang, sums[0][lang], sums[1][lang]) for lang in languages)
