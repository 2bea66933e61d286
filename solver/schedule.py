"""One agent's shifts as the greedy and the local search build them, so each
hard rule (``solver/rules/``) can say whether one more shift still keeps it."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache

from solver.input import ShiftOption, SolverAgent, SolverInput


class AgentSchedule:
    def __init__(self, agent: SolverAgent, problem: SolverInput) -> None:
        self.agent = agent
        self.problem = problem
        self.by_day: dict[int, ShiftOption] = {}
        self.block_minutes: dict[int, int] = defaultdict(int)
        self.block_days: dict[int, int] = defaultdict(int)
        self.block_starts: dict[int, Counter[int]] = defaultdict(Counter)
        """Local clock start times (minute of day) of his shifts in each block."""

    def fits(self, option: ShiftOption, block: int) -> bool:
        """Whether the option keeps every hard rule beside the shifts already taken."""
        return all(allows(self, option, block) for allows in _rule_checks())

    def take(self, option: ShiftOption, block: int) -> None:
        self.by_day[option.day] = option
        self.block_minutes[block] += option.minutes
        self.block_days[block] += 1
        self.block_starts[block][option.start_local_minute_of_day] += 1

    def remove(self, option: ShiftOption, block: int) -> None:
        del self.by_day[option.day]
        self.block_minutes[block] -= option.minutes
        self.block_days[block] -= 1
        starts = self.block_starts[block]
        starts[option.start_local_minute_of_day] -= 1
        if not starts[option.start_local_minute_of_day]:
            del starts[option.start_local_minute_of_day]


@cache
def _rule_checks():
    from solver.rules import RULE_CHECKS  # the rules import this module

    return RULE_CHECKS
