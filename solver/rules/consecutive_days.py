"""No more than ``max_consecutive_days`` local dates in a row with a shift start.

The rule starts fresh at the horizon's first date (the spec's look-back rule).
"""

from ortools.sat.python import cp_model

from solver.input import SolverInput
from solver.variables import RosterVariables


def max_consecutive_days(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> None:
    for a, agent in enumerate(problem.agents):
        limit = agent.rules.max_consecutive_days
        window = limit + 1
        for first in range(0, problem.days - window + 1):
            days = range(first, first + window)
            model.add(sum(variables.worked_on(a, day) for day in days) <= limit)
