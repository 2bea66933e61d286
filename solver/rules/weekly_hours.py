"""In every 7-day block an agent works at most his contract hours (hard)."""

from ortools.sat.python import cp_model

from solver.input import ShiftOption, SolverAgent, SolverInput
from solver.rules.days_off import days_off_needed
from solver.schedule import AgentSchedule
from solver.variables import RosterVariables


def reachable_minutes(lengths_by_day: list[set[int]], cap: int, max_days: int) -> int:
    """The most minutes a block's shifts can add up to within ``cap`` and on at most
    ``max_days`` dates (one shift a date). With 8.5-hour shifts a 40-hour contract
    reaches 34 hours: a relaxation that counts the other 6 (the LP bound) is told so
    by this tighter, equally valid row."""
    states = {(0, 0)}
    for lengths in lengths_by_day:
        if not lengths:
            continue
        states |= {
            (days + 1, minutes + length)
            for days, minutes in states
            if days < max_days
            for length in lengths
            if minutes + length <= cap
        }
    return max(minutes for _, minutes in states)


def max_weekly_hours(
    model: cp_model.CpModel, variables: RosterVariables, problem: SolverInput
) -> None:
    for a, agent in enumerate(problem.agents):
        for block, cap in zip(problem.blocks, block_reachable_minutes(problem, agent), strict=True):
            # the reachable minutes, not the contract's: the same rosters, a tighter LP
            model.add(variables.minutes_in(a, block) <= cap)


def block_reachable_minutes(problem: SolverInput, agent: SolverAgent) -> list[int]:
    """Per block, the most minutes the agent's own shift options can add up to."""
    options = problem.options
    lengths: dict[int, set[int]] = {}
    for o in agent.options:
        lengths.setdefault(options[o].day, set()).add(options[o].minutes)
    found = []
    for block in problem.blocks:
        needed = days_off_needed(agent.rules.min_days_off_per_block, len(block))
        found.append(
            reachable_minutes(
                [lengths.get(day, set()) for day in block],
                agent.max_minutes_per_block,
                len(block) - needed,
            )
        )
    return found


def allows_max_weekly_hours(schedule: AgentSchedule, option: ShiftOption, block: int) -> bool:
    return schedule.block_minutes[block] + option.minutes <= schedule.agent.max_minutes_per_block
