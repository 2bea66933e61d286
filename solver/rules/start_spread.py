"""Optional site rule: within a 7-day block any two of an agent's shift starts are at
most ``max_start_spread_minutes`` apart on the local clock, the shorter way round
midnight (22:00 and 01:00 are 3 h apart), so no week runs early, late, night by turns."""

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.input import ShiftOption, SolverInput
from solver.schedule import AgentSchedule
from solver.variables import RosterVariables

MINUTES_PER_DAY = 24 * 60


def clock_distance(first: int, second: int) -> int:
    """Minutes between two local clock times (minutes after midnight), either way round."""
    apart = abs(first - second) % MINUTES_PER_DAY
    return min(apart, MINUTES_PER_DAY - apart)


def max_start_spread(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> None:
    for a, agent in enumerate(problem.agents):
        bound = agent.rules.max_start_spread_minutes
        if bound is None:
            continue
        for b, block in enumerate(problem.blocks):
            by_start: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for day in block:
                for o, var in variables.options_on(a, day):
                    by_start[problem.options[o].start_local_minute_of_day].append(var)
            starts = sorted(by_start)
            clashes = [
                (first, second)
                for i, first in enumerate(starts)
                for second in starts[i + 1 :]
                if clock_distance(first, second) > bound
            ]
            flags: dict[int, cp_model.IntVar] = {}
            for start in sorted({start for pair in clashes for start in pair}):
                flag = model.new_bool_var(f"starts_at(agent={a},block={b},minute={start})")
                for var in by_start[start]:
                    model.add_implication(var, flag)
                flags[start] = flag
            for first, second in clashes:
                model.add(flags[first] + flags[second] <= 1)


def allows_max_start_spread(schedule: AgentSchedule, option: ShiftOption, block: int) -> bool:
    bound = schedule.agent.rules.max_start_spread_minutes
    if bound is None:
        return True
    start = option.start_local_minute_of_day
    return all(clock_distance(start, other) <= bound for other in schedule.block_starts[block])
