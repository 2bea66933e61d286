"""Agents' preferences: what a shift costs against them, and how many a roster grants.

One definition for the optimizer's soft term (``scheduler.solver_input``), the roster
page and the agent's page, so "granted" means the same everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from scheduler.domain import Assignment, Preference, Scenario


def unmet_by(preferences: Sequence[Preference], day: date, shift_id: str) -> int:
    """How many of an agent's preferences working ``shift_id`` on ``day`` goes against."""
    preferred = {p.shift_id for p in preferences if p.kind == "shift"}
    count = int(bool(preferred) and shift_id not in preferred)
    count += sum(1 for p in preferences if p.kind == "day_off" and p.weekday == day.weekday())
    count += sum(1 for p in preferences if p.kind == "avoid_date" and p.date == day)
    return count


@dataclass(frozen=True)
class Granted:
    """One agent's preferences in a roster, counted per occasion: each shift he works
    when he prefers certain shifts, each date of a weekday he wants off, each date he
    would rather not work."""

    agent_id: str
    occasions: int
    granted: int

    @property
    def share(self) -> float:
        return self.granted / self.occasions if self.occasions else 1.0


def granted_preferences(scenario: Scenario, assignments: Iterable[Assignment]) -> list[Granted]:
    """Per agent with preferences, how many occasions the roster grants."""
    by_agent = scenario.preferences_by_agent
    worked: dict[str, dict[date, str]] = defaultdict(dict)
    for row in assignments:
        worked[row.agent_id][row.date] = row.shift_id
    dates = scenario.horizon.dates
    found = []
    for agent_id in sorted(by_agent):
        preferences = by_agent[agent_id]
        shifts = worked.get(agent_id, {})
        occasions = granted = 0
        preferred = {p.shift_id for p in preferences if p.kind == "shift"}
        if preferred:
            occasions += len(shifts)
            granted += sum(1 for shift_id in shifts.values() if shift_id in preferred)
        for p in preferences:
            if p.kind == "day_off":
                days = [day for day in dates if day.weekday() == p.weekday]
            elif p.kind == "avoid_date":
                days = [p.date] if p.date in dates else []
            else:
                continue
            occasions += len(days)
            granted += sum(1 for day in days if day not in shifts)
        found.append(Granted(agent_id, occasions, granted))
    return found


def preference_summary(scenario: Scenario, assignments: Iterable[Assignment]) -> dict[str, int]:
    """Agents with preferences, their occasions and how many the roster grants."""
    found = granted_preferences(scenario, assignments)
    return {
        "agents": len(found),
        "occasions": sum(g.occasions for g in found),
        "granted": sum(g.granted for g in found),
    }
