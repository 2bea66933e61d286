"""In every 7-day block an agent works at most his contract hours (hard)."""

from ortools.sat.python import cp_model

from solver.input import ShiftOption, SolverInput
from solver.schedule import AgentSchedule
from solver.variables import RosterVariables


def max_weekly_hours(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> None:
    for a, agent in enumerate(problem.agents):
        for block in problem.blocks:
            model.add(variables.minutes_in(a, block) <= agent.max_minutes_per_block)


def allows_max_weekly_hours(schedule: AgentSchedule, option: ShiftOption, block: int) -> bool:
    return schedule.block_minutes[block] + option.minutes <= schedule.agent.max_minutes_per_block
