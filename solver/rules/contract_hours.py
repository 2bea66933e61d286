"""Paid contract time left unscheduled: the roster should come close to each
agent's contract hours in every block (the hard cap is in weekly_hours)."""

from ortools.sat.python import cp_model

from solver.input import SolverInput
from solver.rules.penalty import WEIGHTS, Penalty
from solver.variables import RosterVariables


def unscheduled_contract_hours(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> list[Penalty]:
    idle = []
    for a, agent in enumerate(problem.agents):
        for block in problem.blocks:
            share = agent.max_minutes_per_block
            # minutes worked never exceed the cap, so cap - worked is the idle time
            idle.append(share - variables.minutes_in(a, block))
    return [Penalty("unscheduled_minutes", sum(idle), WEIGHTS.unscheduled_minute)]
