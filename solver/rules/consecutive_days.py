"""No more than ``max_consecutive_days`` local dates in a row with a shift start.

History shifts on the dates just before the horizon count into a run that
reaches the first dates (v1.1); without history the rule starts fresh there.
"""

from ortools.sat.python import cp_model

from solver.input import ShiftOption, SolverInput
from solver.schedule import AgentSchedule
from solver.variables import RosterVariables


def max_consecutive_days(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> None:
    for a, agent in enumerate(problem.agents):
        limit = agent.rules.max_consecutive_days
        window = limit + 1
        for first in range(-limit, problem.days - window + 1):
            days = range(max(0, first), first + window)
            before = sum(1 for day in range(first, 0) if day in agent.history_days)
            if first < 0 and not before:
                continue
            model.add(sum(variables.worked_on(a, day) for day in days) <= limit - before)


def allows_max_consecutive_days(schedule: AgentSchedule, option: ShiftOption, block: int) -> bool:
    """The run of worked dates through the option's, history dates included."""
    agent = schedule.agent
    run = 1
    day = option.day - 1
    while day in schedule.by_day or day in agent.history_days:
        run, day = run + 1, day - 1
    day = option.day + 1
    while day in schedule.by_day:
        run, day = run + 1, day + 1
    return run <= agent.rules.max_consecutive_days
