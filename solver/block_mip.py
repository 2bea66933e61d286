"""Block neighbourhoods re-planned whole by a MIP (HiGHS): every agent's shifts of
one 7-day block are freed, the rest of the roster stays.

Why: the local search moves one agent's shift at a time and stalls where every
agent already works all the hours his shifts can reach (on M, 2,700 shortfall
against an LP bound of 1,789); the hours are in the wrong places, and moving them
takes changes to many agents at once. A MIP over the whole block does that.

The block's MIP is the LP relaxation of ``solver.lp_bound`` (the same rule rows,
one definition) written for a sub-problem whose agents have only the block's
options: each agent keeps the options that do not clash (rest, date) with his
fixed shifts outside it; his worked dates just outside it count in its
consecutive-days rows (``history_days``); the fixed shifts overlapping the
block's intervals are constant presence (``history_present``). Agents with the
same site, rules, remaining options and boundary are one group (most are alone),
so the MIP's rows are each agent's rules: its integer solution is a roster of
the block, shared out to a group's members by a small CP-SAT model. Like RINS,
the group shifts on which the block's LP agrees with the current roster are
fixed first, which leaves HiGHS a MIP it improves in seconds.

Non-adjacent blocks share no rule and no interval, so two run at once (HiGHS
releases the GIL, one thread each). A result is kept only if the whole roster's
(floor gaps, shortfall, idle minutes) does not get worse.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
from ortools.sat.python import cp_model

from solver.evaluate import objective_terms
from solver.greedy import greedy_roster
from solver.input import SolverInput
from solver.lp_bound import AgentGroup, Relaxation, highs_model, quiet_highs, relaxation
from solver.rules import HARD_RULES
from solver.schedule import AgentSchedule
from solver.variables import RosterVariables

FLOOR_GAP_COST = 1_000.0
"""A floor-gap interval in the block's MIP, in agent-intervals of shortfall: floors
first, as everywhere (the result is checked lexicographically anyway)."""
AGREEMENT = 0.05
"""A group's shift is fixed when the block's LP is within this of the roster's count."""
MAX_SHIFT_COLUMNS = 8_000
"""Blocks with more free shift columns are left to the other phases (the MIP would
not get past its root in the time a 1,000-agent month gives it)."""
GOOD_SECONDS = 20.0
"""A block's MIP gets at least this when the time allows (fewer blocks then)."""
MOST_SECONDS = 40.0
"""And at most this; long limits make further passes over the blocks instead."""
LEAST_SECONDS = 12.0
"""Below this HiGHS rarely gets past the root of an M block: measured on M's weeks
(HiGHS 1.16, one thread), nothing at 6-9 s, -15 to -40 a block at 12 s, -30 to -50
at 20 s, where each block's roster had 540-1,080 shortfall."""
ROUND_OVERHEAD_SECONDS = 5.0
"""Per round: building the blocks' models, sharing out, the local search after."""
PHASE_SHARE = 0.5
"""Block MIPs are worth their time when one pass over every block at ``GOOD_SECONDS``
fits in this share of the limit (M: from about 100 s; a 60 s solve keeps its local
search, which does more in that time)."""


@dataclass(frozen=True)
class BlockProblem:
    problem: SolverInput
    """Agents with only the block's options that fit around their fixed shifts."""
    free: frozenset[int]
    """Options on the block's dates."""
    intervals: range
    """Every interval a free option covers."""


def block_problem(
    problem: SolverInput, chosen: set[tuple[int, int]], days: set[int]
) -> BlockProblem:
    options = problem.options
    free = frozenset(o for o, option in enumerate(options) if option.day in days)
    first = min((options[o].first_interval for o in free), default=0)
    last = max((options[o].last_interval for o in free), default=-1)
    fixed_by_agent: dict[int, list[int]] = defaultdict(list)
    for a, o in chosen:
        if o not in free:
            fixed_by_agent[a].append(o)
    present: Counter[tuple[int, tuple[int, ...]]] = Counter()
    agents = []
    for a, agent in enumerate(problem.agents):
        fixed = [options[o] for o in fixed_by_agent[a]]
        rest = agent.rules.min_rest_minutes
        kept = tuple(
            o
            for o in agent.options
            if o in free
            and not any(
                f.day == options[o].day
                or (
                    f.start_minute < options[o].end_minute + rest
                    and options[o].start_minute < f.end_minute + rest
                )
                for f in fixed
            )
        )
        limit = agent.rules.max_consecutive_days
        worked = {f.day for f in fixed if min(days) - limit <= f.day <= max(days) + limit}
        worked |= {day for day in agent.history_days if day >= min(days) - limit}
        agents.append(replace(agent, options=kept, history_days=frozenset(worked)))
        if agent.languages:
            for f in fixed:
                for t in range(max(first, f.first_interval), min(last, f.last_interval) + 1):
                    present[t, agent.languages] += 1
    sub = replace(
        problem,
        agents=tuple(agents),
        locked=frozenset(key for key in problem.locked if key[1] in free),
        previous=frozenset(),
        history_present=problem.history_present
        + tuple((t, group, n) for (t, group), n in sorted(present.items())),
    )
    return BlockProblem(sub, free, range(first, last + 1))


@dataclass
class BlockRoster:
    groups: list[AgentGroup]
    counts: dict[tuple[int, int], int]
    """(group, option) -> members of the group on that shift."""


def solve_block(
    block: BlockProblem, chosen: set[tuple[int, int]], seconds: float
) -> BlockRoster | None:
    """The best roster of the block HiGHS finds from the current one within
    ``seconds``; None if it found none."""
    import highspy

    started = time.monotonic()
    lp = relaxation(block.problem, block.intervals, floor_cost=FLOOR_GAP_COST)
    group_of = {a: g for g, group in enumerate(lp.groups) for a in group.members}
    current = Counter((group_of[a], o) for a, o in chosen if o in block.free)
    model = highs_model(lp)
    lower, upper = _fix_agreed(lp, model, current, seconds)
    model.col_lower_ = lower
    model.col_upper_ = upper
    integer = np.zeros(len(lp.c), dtype=bool)
    integer[list(lp.shift_columns.values()) + list(lp.floor_columns.values())] = True
    model.integrality_ = [
        highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
        for flag in integer
    ]
    highs = quiet_highs()
    # the interior point solves the root LP in a second where the simplex takes minutes
    highs.setOptionValue("mip_lp_solver", "ipx")
    highs.setOptionValue("time_limit", max(1.0, seconds - (time.monotonic() - started)))
    highs.passModel(model)
    columns = list(lp.shift_columns.values())
    start = [float(current.get(key, 0)) for key in lp.shift_columns]
    highs.setSolution(len(columns), np.array(columns, dtype=np.int32), np.array(start))
    highs.run()
    values = np.asarray(highs.getSolution().col_value, dtype=float)
    if values.shape[0] != len(lp.c):
        return None
    counts = {key: int(round(values[col])) for key, col in lp.shift_columns.items()}
    return BlockRoster(lp.groups, counts)


def _fix_agreed(lp: Relaxation, model, current: Counter, seconds: float):
    """Column boxes with the group shifts the LP agrees on fixed (RINS)."""
    highs = quiet_highs()
    highs.setOptionValue("solver", "ipm")
    highs.setOptionValue("run_crossover", "off")
    highs.setOptionValue("time_limit", max(1.0, seconds / 3))
    highs.passModel(model)
    highs.run()
    relaxed = np.asarray(highs.getSolution().col_value, dtype=float)
    lower, upper = np.array(lp.lower), np.array(lp.upper)
    if relaxed.shape[0] != len(lp.c):
        return lower, upper
    for key, col in lp.shift_columns.items():
        count = current.get(key, 0)
        if abs(relaxed[col] - count) < AGREEMENT:
            lower[col] = upper[col] = count
    return lower, upper


def share_out(
    problem: SolverInput, block: BlockProblem, found: BlockRoster, chosen: set[tuple[int, int]]
) -> set[tuple[int, int]]:
    """The roster with the block's shifts replaced by ``found``'s: a group's shifts go
    to its members by a small CP-SAT model of the real rules (at most the counts,
    as many minutes as possible); a lone agent's MIP rows are his rules already,
    but the start-time spread rule is not in them, so CP-SAT checks him too."""
    by_agent: dict[int, set[int]] = defaultdict(set)
    for a, o in chosen:
        by_agent[a].add(o)
    result = {(a, o) for a, o in chosen if o not in block.free}
    for g, group in enumerate(found.groups):
        members = list(group.members)
        now = Counter(o for a in members for o in by_agent[a] if o in block.free)
        wanted = {o: n for o in group.agent.options if (n := found.counts.get((g, o), 0)) > 0}
        if Counter(wanted) == now:
            result.update((a, o) for a in members for o in by_agent[a] if o in block.free)
            continue
        if len(members) == 1 and _keeps_rules(problem, members[0], by_agent, block, wanted):
            result.update((members[0], o) for o in wanted)
            continue
        result.update(_members_shifts(problem, block, members, wanted, by_agent))
    return result


def _keeps_rules(
    problem: SolverInput,
    a: int,
    by_agent: dict[int, set[int]],
    block: BlockProblem,
    wanted: dict[int, int],
) -> bool:
    """Whether one agent's new block shifts and his fixed ones keep every rule."""
    options = problem.options
    schedule = AgentSchedule(problem.agents[a], problem)
    shifts = [o for o in by_agent[a] if o not in block.free] + list(wanted)
    for o in sorted(shifts, key=lambda o: options[o].day):
        option = options[o]
        block_index = problem.block_of_day[option.day]
        if not schedule.fits(option, block_index):
            return False
        schedule.take(option, block_index)
    return True


def _members_shifts(
    problem: SolverInput,
    block: BlockProblem,
    members: list[int],
    wanted: dict[int, int],
    by_agent: dict[int, set[int]],
) -> set[tuple[int, int]]:
    options = problem.options
    agents, fixed = [], set()
    for i, a in enumerate(members):
        outside = {o for o in by_agent[a] if o not in block.free}
        inside = set(wanted) | {o for o in by_agent[a] if o in block.free}
        agents.append(replace(problem.agents[a], options=tuple(sorted(outside | inside))))
        fixed.update((i, o) for o in outside)
    sub = replace(problem, agents=tuple(agents), locked=frozenset(), previous=frozenset())
    model = cp_model.CpModel()
    variables = RosterVariables(model, sub)
    for key in fixed | {(members.index(a), o) for a, o in problem.locked if a in members}:
        model.add(variables.is_assigned(*key) == 1)
    for rule in HARD_RULES:
        rule(model, variables, sub)
    gained = []
    for o in {o for i in range(len(members)) for o in agents[i].options if o in block.free}:
        taken = [var for (i, option), var in variables.assigned.items() if option == o]
        model.add(sum(taken) <= wanted.get(o, 0))
        gained += [options[o].minutes * var for var in taken]
    for (i, o), var in variables.assigned.items():
        if (i, o) not in fixed:
            model.add_hint(var, o in by_agent[members[i]] and o in wanted)
    model.maximize(sum(gained))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 2.0
    solver.parameters.num_workers = 1
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {(a, o) for a in members for o in by_agent[a] if o in block.free}
    return {
        (members[i], o)
        for (i, o), var in variables.assigned.items()
        if (i, o) not in fixed and solver.boolean_value(var)
    }


def _cost(problem: SolverInput, chosen) -> tuple[int, int, int]:
    terms = objective_terms(problem, sorted(chosen))
    return terms["floor_gaps"], terms["shortfall"], terms["unscheduled_minutes"]


def block_rounds(problem: SolverInput) -> list[list[tuple[int, ...]]]:
    """Blocks in rounds of ones that share nothing (every other block), each round
    at most two (two cores)."""
    blocks = list(problem.blocks)
    order = blocks[0::2] + blocks[1::2]
    rounds: list[list[tuple[int, ...]]] = []
    for block in order:
        index = blocks.index(block)
        last = rounds[-1] if rounds else None
        if last and len(last) < 2 and all(abs(blocks.index(b) - index) > 1 for b in last):
            last.append(block)
        else:
            rounds.append([block])
    return rounds


def improve_blocks(
    problem: SolverInput,
    chosen: set[tuple[int, int]],
    deadline: float,
    after_round: Callable[[set[tuple[int, int]]], set[tuple[int, int]]] | None = None,
) -> set[tuple[int, int]]:
    """Rounds of block MIPs, pass after pass, until ``deadline`` (a
    ``time.monotonic()`` value) or a pass that gains nothing; ``after_round(roster)``
    may improve each round's result further (the local search)."""
    rounds = _rounds(problem)
    current = set(chosen)
    best = _cost(problem, current)
    improved = True
    while rounds and improved:  # pass after pass, while a pass still gains
        improved = False
        for k, blocks in enumerate(rounds):
            left = deadline - time.monotonic()
            seconds = min(MOST_SECONDS, max(GOOD_SECONDS, left / (len(rounds) - k)), left)
            if seconds < LEAST_SECONDS:
                return current
            built = [block_problem(problem, current, set(days)) for days in blocks]
            with ThreadPoolExecutor(max_workers=2) as pool:
                found = list(pool.map(partial(solve_block, chosen=current, seconds=seconds), built))
            candidate = set(current)
            for block, result in zip(built, found, strict=True):
                if result is not None:
                    candidate = share_out(problem, block, result, candidate)
            candidate = set(greedy_roster(problem, start=_by_day(problem, candidate)).chosen)
            if after_round is not None:
                candidate = after_round(candidate)
            cost = _cost(problem, candidate)
            if cost <= best:
                improved = improved or cost < best
                current, best = candidate, cost
    return current


def block_mip_fits(problem: SolverInput, limit_seconds: float) -> bool:
    """Whether a pass of block MIPs fits the time limit (and some block the MIP)."""
    rounds = _rounds(problem)
    needed = len(rounds) * (GOOD_SECONDS + ROUND_OVERHEAD_SECONDS)
    return bool(rounds) and needed <= PHASE_SHARE * limit_seconds


def _rounds(problem: SolverInput) -> list[list[tuple[int, ...]]]:
    rounds = [
        [days for days in blocks if _free_columns(problem, days) <= MAX_SHIFT_COLUMNS]
        for blocks in block_rounds(problem)
    ]
    return [blocks for blocks in rounds if blocks]


def _free_columns(problem: SolverInput, days: tuple[int, ...]) -> int:
    options = problem.options
    wanted = set(days)
    return sum(1 for agent in problem.agents for o in agent.options if options[o].day in wanted)


def _by_day(problem: SolverInput, chosen: set[tuple[int, int]]) -> list[tuple[int, int]]:
    return sorted(chosen, key=lambda key: (problem.options[key[1]].day, key))
