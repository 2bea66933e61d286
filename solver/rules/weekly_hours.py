"""In every 7-day block an agent works at most his contract hours (hard)."""

import functools
import itertools
import math
from collections.abc import Mapping
from types import MappingProxyType

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


def length_hull_rows(
    lengths_by_day: list[set[int]], cap: int, max_days: int
) -> tuple[tuple[Mapping[int, int], int], ...]:
    """Rows ``sum over lengths of weight * shifts of that length <= limit`` that every
    week of whole shifts keeps and a relaxation need not: with 8-hour nights and
    8.5-hour days a 40-hour contract works five nights or four days, and the minutes
    row alone lets an LP plan 4.7 days. Per pair of shift lengths, the facets of the
    hull of the (count, count) pairs a block can hold (exact when a block has two
    lengths, as most sites do)."""
    return _length_hull_rows(tuple(frozenset(day) for day in lengths_by_day), cap, max_days)


@functools.lru_cache(maxsize=4096)
def _length_hull_rows(
    lengths_by_day: tuple[frozenset[int], ...], cap: int, max_days: int
) -> tuple[tuple[Mapping[int, int], int], ...]:
    """(Most agents of a month share their blocks' lengths: computed once each.)"""
    lengths = sorted({length for day in lengths_by_day for length in day})
    if len(lengths) < 2:
        return ()  # one length: the minutes row is the hull already
    index = {length: i for i, length in enumerate(lengths)}
    states = {(0,) * len(lengths)}
    for day in lengths_by_day:
        states |= {
            tuple(n + (i == index[length]) for i, n in enumerate(counts))
            for counts in states
            if sum(counts) < max_days
            for length in day
            if sum(c * m for c, m in zip(counts, lengths, strict=True)) + length <= cap
        }
    rows: dict[tuple[tuple[int, int], ...], int] = {}
    for i, j in itertools.combinations(range(len(lengths)), 2):
        most: dict[int, int] = {}
        for counts in states:
            most[counts[i]] = max(most.get(counts[i], 0), counts[j])
        for (a, b), limit in _upper_hull_facets(most):
            weights = tuple((m, w) for m, w in ((lengths[i], a), (lengths[j], b)) if w)
            rows[weights] = min(rows.get(weights, limit), limit)
    # read-only: the cache hands the same rows to every agent with these lengths
    return tuple((MappingProxyType(dict(weights)), limit) for weights, limit in rows.items())


def _upper_hull_facets(most: dict[int, int]) -> list[tuple[tuple[int, int], int]]:
    """The facets ``a * x + b * y <= limit`` (a, b >= 0) of the hull of the points
    (x, y) with 0 <= y <= most[x] (a down-closed set of whole points)."""
    # the staircase's corners (x runs 0, 1, ...: the set is down-closed), then their
    # upper hull (monotone chain)
    corners = [(x, y) for x, y in sorted(most.items()) if y > most.get(x + 1, -1)]
    hull: list[tuple[int, int]] = []
    for point in [(0, most[0]), *corners]:
        while len(hull) >= 2 and _cross(hull[-2], hull[-1], point) >= 0:
            hull.pop()
        if not hull or hull[-1] != point:
            hull.append(point)
    facets = [((0, 1), hull[0][1]), ((1, 0), hull[-1][0])]
    for (x1, y1), (x2, y2) in itertools.pairwise(hull):
        a, b = y1 - y2, x2 - x1
        divisor = math.gcd(a, b)
        a, b = a // divisor, b // divisor
        facets.append(((a, b), a * x1 + b * y1))
    return facets


def _cross(o: tuple[int, int], p: tuple[int, int], q: tuple[int, int]) -> int:
    return (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0])
