"""One agent's shifts as the greedy and the local search build them, so each
hard rule (``solver/rules/``) can say whether one more shift still keeps it."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from solver.input import ShiftOption, SolverAgent, SolverInput


class AgentSchedule:
    def __init__(self, agent: SolverAgent, problem: SolverInput) -> None:
        self.agent = agent
        self.problem = problem
        self.by_day: dict[int, ShiftOption] = {}
        self.block_minutes: dict[int, int] = defaultdict(int)
        self.block_days: dict[int, int] = defaultdict(int)

    def fits(self, option: ShiftOption, block: int) -> bool:
        """Whether the option keeps every hard rule beside the shifts already taken."""
        return all(allows(self, option, block) for allows in _rule_checks())

    def take(self, option: ShiftOption, block: int) -> None:
        self.by_day[option.day] = option
        self.block_minutes[block] += option.minutes
        self.block_days[block] += 1

    def remove(self, option: ShiftOption, block: int) -> None:
        del self.by_day[option.day]
        self.block_minutes[block] -= option.minutes
        self.block_days[block] -= 1


@cache
def _rule_checks():
    from solver.rules import RULE_CHECKS  # the rules import this module

    return RULE_CHECKS
