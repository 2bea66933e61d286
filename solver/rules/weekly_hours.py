"""In every 7-day block an agent works at most his contract hours (hard)."""

from ortools.sat.python import cp_model

from solver.input import SolverInput
from solver.variables import RosterVariables


def max_weekly_hours(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> None:
    for a, agent in enumerate(problem.agents):
        for block in problem.blocks:
            model.add(variables.minutes_in(a, block) <= agent.max_minutes_per_block)
