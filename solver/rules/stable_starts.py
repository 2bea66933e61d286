"""Stable start times: within a 7-day block an agent should start at the same
local time; every further distinct start time is penalised."""

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.input import SolverInput
from solver.rules.penalty import WEIGHTS, Penalty
from solver.variables import RosterVariables


def stable_start_times(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> list[Penalty]:
    extra_starts = []
    for a in range(len(problem.agents)):
        for b, block in enumerate(problem.blocks):
            by_start: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for day in block:
                for o, var in variables.options_on(a, day):
                    by_start[problem.options[o].start_local_minute_of_day].append(var)
            if len(by_start) < 2:
                continue
            used = []
            for start, chosen in by_start.items():
                flag = model.new_bool_var(f"starts_at(agent={a},block={b},minute={start})")
                for var in chosen:
                    model.add_implication(var, flag)
                used.append(flag)
            extra = model.new_int_var(0, len(used), f"extra_starts(agent={a},block={b})")
            model.add(extra >= sum(used) - 1)
            extra_starts.append(extra)
    return [Penalty("start_time_changes", sum(extra_starts), WEIGHTS.start_time_change)]
