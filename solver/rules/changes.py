"""Re-solving a published roster: every shift added to it or taken from it is a
change the agents must be told about, so each one is penalised."""

from ortools.sat.python import cp_model

from solver.input import SolverInput
from solver.rules.penalty import WEIGHTS, Penalty
from solver.variables import RosterVariables


def roster_changes(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> list[Penalty]:
    if not problem.previous:
        return []
    changes = [
        (1 - var) if key in problem.previous else var for key, var in variables.assigned.items()
    ]
    return [Penalty("roster_changes", sum(changes), WEIGHTS.roster_change)]
