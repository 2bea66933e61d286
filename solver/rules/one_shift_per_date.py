"""At most one shift starts on each local date of an agent."""

from ortools.sat.python import cp_model

from solver.input import SolverInput
from solver.variables import RosterVariables


def one_shift_per_date(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> None:
    for a in range(len(problem.agents)):
        for day in range(problem.days):
            choices = [var for _, var in variables.options_on(a, day)]
            if len(choices) > 1:
                model.add_at_most_one(choices)
