"""Agents' stated preferences (shifts they prefer, weekdays they want off, dates they
would rather not work) as a soft term far below shortfall: a preference never keeps a
customer waiting, but between rosters that cover the same, the one that grants more wins."""

from ortools.sat.python import cp_model

from solver.input import SolverInput
from solver.rules.penalty import WEIGHTS, Penalty
from solver.variables import RosterVariables


def unmet_preferences(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> list[Penalty]:
    terms = [
        count * variables.is_assigned(a, o)
        for a, agent in enumerate(problem.agents)
        for o, count in agent.preference_costs
        if (a, o) in variables.assigned
    ]
    if not terms:
        return []
    return [Penalty("unmet_preferences", sum(terms), WEIGHTS.unmet_preference)]
