"""Every 7-day block leaves at least ``min_days_off_per_week`` dates without a
shift start; a partial last block of n dates needs max(0, min - (7 - n))."""

from ortools.sat.python import cp_model

from solver.input import ShiftOption, SolverInput
from solver.schedule import AgentSchedule
from solver.variables import RosterVariables


def days_off_needed(min_days_off: int, block_length: int) -> int:
    return max(0, min_days_off - (7 - block_length))


def min_days_off(model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput) -> None:
    for a, agent in enumerate(problem.agents):
        for block in problem.blocks:
            needed = days_off_needed(agent.rules.min_days_off_per_block, len(block))
            if needed:
                worked = sum(variables.worked_on(a, day) for day in block)
                model.add(worked <= len(block) - needed)


def allows_min_days_off(schedule: AgentSchedule, option: ShiftOption, block: int) -> bool:
    length = len(schedule.problem.blocks[block])
    needed = days_off_needed(schedule.agent.rules.min_days_off_per_block, length)
    return schedule.block_days[block] + 1 <= length - needed
