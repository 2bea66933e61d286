"""Minimum rest between the end of one shift and the start of the next, in real
minutes (so a DST night counts its true length)."""

from ortools.sat.python import cp_model

from solver.input import ShiftOption, SolverInput
from solver.schedule import AgentSchedule
from solver.variables import RosterVariables


def rest_window_days(rest_minutes: int) -> int:
    """How many later dates can hold a shift starting within the rest window: a
    shift lasts at most a day and may start late on its date, so the rest spans
    this many date boundaries at most (the greedy start uses the same window)."""
    return 2 + rest_minutes // (24 * 60)


def min_rest(model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput) -> None:
    options = problem.options
    for a, agent in enumerate(problem.agents):
        rest = agent.rules.min_rest_minutes
        window = rest_window_days(rest)
        for day in range(problem.days):
            for o, var in variables.options_on(a, day):
                earlier = options[o]
                for later_day in range(day + 1, min(day + 1 + window, problem.days)):
                    clashing = [
                        later_var
                        for later, later_var in variables.options_on(a, later_day)
                        if options[later].start_minute < earlier.end_minute + rest
                    ]
                    if clashing:
                        # the later date has at most one shift, so one constraint covers all
                        model.add(var + sum(clashing) <= 1)


def allows_min_rest(schedule: AgentSchedule, option: ShiftOption, block: int) -> bool:
    rest = schedule.agent.rules.min_rest_minutes
    window = rest_window_days(rest)
    for day in range(option.day - window, option.day + window + 1):
        other = schedule.by_day.get(day)
        if other is not None and not (
            option.start_minute >= other.end_minute + rest
            or other.start_minute >= option.end_minute + rest
        ):
            return False
    return True
