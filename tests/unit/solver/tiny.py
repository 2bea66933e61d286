"""Tiny hand-made solver problems: one site, hourly intervals, days of 24 h.

Option starts are given as the hour of their day, so a test
reads like a timetable.
"""

from __future__ import annotations

from dataclasses import replace

from solver.input import (
    AgentRules,
    ShiftOption,
    SolveLimits,
    SolverAgent,
    SolverInput,
    SolverResult,
)
from solver.model import solve_roster
from solver.schedule import AgentSchedule

HOUR = 60


def option(day: int, start_hour: float, hours: float, **flags: bool) -> ShiftOption:
    start = int((day * 24 + start_hour) * HOUR)
    end = start + int(hours * HOUR)
    return ShiftOption(
        site=0,
        day=day,
        template=0,
        start_minute=start,
        end_minute=end,
        first_interval=-(-start // HOUR),
        last_interval=end // HOUR - 1,
        start_local_minute_of_day=start % (24 * HOUR),
        **flags,
    )


def agent(
    options: range | list[int],
    languages: tuple[int, ...] = (0,),
    weekly_hours: float = 80,
    rest_hours: float = 0,
    max_consecutive: int = 99,
    days_off: int = 0,
) -> SolverAgent:
    return SolverAgent(
        site=0,
        languages=languages,
        max_minutes_per_block=int(weekly_hours * HOUR),
        rules=AgentRules(int(rest_hours * HOUR), max_consecutive, days_off),
        options=tuple(options),
    )


def problem(
    days: int,
    options: list[ShiftOption],
    agents: list[SolverAgent],
    required: list[list[int]] | None = None,
    floor: tuple[int, ...] | None = None,
) -> SolverInput:
    intervals = days * 24
    if required is None:
        required = [[5] * intervals]
    options = [replace(o, last_interval=min(o.last_interval, intervals - 1)) for o in options]
    return SolverInput(
        days=days,
        interval_minutes=HOUR,
        interval_count=intervals,
        languages=tuple(f"l{i}" for i in range(len(required))),
        options=tuple(options),
        agents=tuple(agents),
        required=tuple(tuple(r) for r in required),
        floor=floor if floor is not None else tuple(0 for _ in required),
        blocks=tuple(tuple(range(b, min(b + 7, days))) for b in range(0, days, 7)),
    )


def solve(p: SolverInput, seconds: float = 10, workers: int = 2, seed: int = 0) -> SolverResult:
    return solve_roster(p, SolveLimits(seconds, seed, workers))


def worked_days(result: SolverResult, p: SolverInput, agent_index: int = 0) -> list[int]:
    return sorted(p.options[o].day for a, o in result.chosen if a == agent_index)


def valid_roster(p, chosen) -> bool:
    """Every agent's shifts, taken one by one in date order, keep every hard rule."""
    block_of = p.block_of_day
    for a, worker in enumerate(p.agents):
        state = AgentSchedule(worker, p)
        for o in sorted((o for x, o in chosen if x == a), key=lambda o: p.options[o].day):
            if o not in worker.options or not state.fits(p.options[o], block_of[p.options[o].day]):
                return False
            state.take(p.options[o], block_of[p.options[o].day])
    return True
