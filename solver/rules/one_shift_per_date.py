"""At most one shift starts on each local date of an agent."""

from ortools.sat.python import cp_model

from solver.input import ShiftOption, SolverInput
from solver.schedule import AgentSchedule
from solver.variables import RosterVariables


def one_shift_per_date(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> None:
    for a in range(len(problem.agents)):
        for day in range(problem.days):
            choices = [var for _, var in variables.options_on(a, day)]
            if len(choices) > 1:
                model.add_at_most_one(choices)


def allows_one_shift_per_date(schedule: AgentSchedule, option: ShiftOption, block: int) -> bool:
    return option.day not in schedule.by_day
