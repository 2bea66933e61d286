"""A proven lower bound on shortfall: the LP relaxation of the roster model.

Agents who are interchangeable (same site, languages, contract, rules, allowed
options, history and locks) are merged into one group with a count, and every
per-agent row is written once, times the count: the LP has a symmetric optimum,
so this loses nothing. Presence per language set is chained over intervals
(presence(t) = presence(t-1) + shifts starting - shifts ending), so each shift
column touches two coverage rows instead of one per interval it covers.

The LP's duals are then turned into a bound that no solver tolerance can make
invalid: every column is boxed, so for *any* dual vector (inequality duals
clipped to their sign) the Lagrangian

    -pi.b_ub - nu.b_eq + sum_j min(d_j * lower_j, d_j * upper_j),   d = c + A_ub'pi + A_eq'nu

is a lower bound on the LP, hence on every roster. It is computed here with our
own matrix, so an inexact or early stopped LP still gives a valid bound.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np
from scipy.sparse import coo_matrix, vstack

from solver.input import SolverAgent, SolverInput
from solver.rules.days_off import days_off_needed
from solver.rules.rest import rest_window_days
from solver.rules.weekly_hours import length_hull_rows, reachable_minutes


@dataclass(frozen=True)
class AgentGroup:
    members: tuple[int, ...]
    """Agent indexes of the interchangeable agents."""
    agent: SolverAgent
    locked: frozenset[int]
    """Options every member has locked."""

    @property
    def size(self) -> int:
        return len(self.members)


class LpPart(NamedTuple):
    """One part of the LP bound, solved."""

    intervals: range
    bound: int
    """Proven (the Lagrangian of its duals, rounded up, never below its capacity)."""
    value: float | None
    """Its LP optimum; None when its LP did not finish."""
    seconds: float
    """How long its LP took, written and solved."""


@dataclass
class LpBound:
    bound: int
    """Proven lower bound on shortfall (the Lagrangian of the duals, rounded up)."""
    lp_value: float | None
    """The LP solver's own optimum (for reporting; not what is trusted)."""
    seconds: float
    status: str
    groups: list[AgentGroup] = field(default_factory=list)
    shift_values: dict[tuple[int, int], float] = field(default_factory=dict)
    """(group index, option) -> agents of the group on that shift in the LP solution."""
    by_language: dict[int, int] = field(default_factory=dict)
    """language -> a proven lower bound on that language's shortfall alone (its
    speakers all serving it), for the languages there was time for."""
    parts: list[LpPart] = field(default_factory=list)
    """Every part, for ``merge_parts`` (when every part's LP finished)."""


def agent_groups(problem: SolverInput) -> list[AgentGroup]:
    locked: dict[int, set[int]] = defaultdict(set)
    for a, o in problem.locked:
        locked[a].add(o)
    members: dict[tuple, list[int]] = defaultdict(list)
    for a, agent in enumerate(problem.agents):
        members[agent, frozenset(locked[a])].append(a)
    return [
        AgentGroup(tuple(found), agent, lock)
        for (agent, lock), found in sorted(members.items(), key=lambda item: item[1][0])
    ]


class _Builder:
    """Columns with boxes and costs, and rows, collected as coordinates."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.cost: list[float] = []
        self.ub_rows: list[int] = []
        self.ub_cols: list[int] = []
        self.ub_vals: list[float] = []
        self.ub_rhs: list[float] = []
        self.eq_rows: list[int] = []
        self.eq_cols: list[int] = []
        self.eq_vals: list[float] = []
        self.eq_rhs: list[float] = []

    def column(self, lower: float, upper: float, cost: float = 0.0) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.cost.append(cost)
        return len(self.cost) - 1

    def at_most(self, terms: list[tuple[int, float]], rhs: float) -> None:
        row = len(self.ub_rhs)
        for col, val in terms:
            self.ub_rows.append(row)
            self.ub_cols.append(col)
            self.ub_vals.append(val)
        self.ub_rhs.append(rhs)

    def equal(self, terms: list[tuple[int, float]], rhs: float) -> None:
        row = len(self.eq_rhs)
        for col, val in terms:
            self.eq_rows.append(row)
            self.eq_cols.append(col)
            self.eq_vals.append(val)
        self.eq_rhs.append(rhs)

    def matrices(self):
        n = len(self.cost)
        a_ub = coo_matrix(
            (self.ub_vals, (self.ub_rows, self.ub_cols)), shape=(len(self.ub_rhs), n)
        ).tocsr()
        a_eq = coo_matrix(
            (self.eq_vals, (self.eq_rows, self.eq_cols)), shape=(len(self.eq_rhs), n)
        ).tocsr()
        return (
            np.array(self.cost),
            a_ub,
            np.array(self.ub_rhs),
            a_eq,
            np.array(self.eq_rhs),
            np.array(self.lower),
            np.array(self.upper),
        )


def lagrangian_bound(c, a_ub, b_ub, a_eq, b_eq, lower, upper, ub_duals, eq_duals) -> float:
    """A lower bound on min c.x (A_ub x <= b_ub, A_eq x = b_eq, lower <= x <= upper)
    valid for any duals: inequality duals are clipped to >= 0."""
    pi = np.maximum(0.0, np.nan_to_num(ub_duals))
    nu = np.nan_to_num(eq_duals)
    reduced = c + a_ub.T @ pi + a_eq.T @ nu
    box = np.where(reduced >= 0, reduced * lower, reduced * upper)
    return float(-(pi @ b_ub) - (nu @ b_eq) + box.sum())


@dataclass
class Relaxation:
    """The LP: min c.x, A_ub x <= b_ub, A_eq x = b_eq, lower <= x <= upper."""

    c: np.ndarray
    a_ub: object
    b_ub: np.ndarray
    a_eq: object
    b_eq: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    groups: list[AgentGroup]
    shift_columns: dict[tuple[int, int], int]
    floor_columns: dict[tuple[int, int], int] = field(default_factory=dict)
    """(language, interval) -> its floor-gap column (0/1), when asked for."""

    def bound_from(self, ub_duals: np.ndarray, eq_duals: np.ndarray) -> float:
        return lagrangian_bound(
            self.c,
            self.a_ub,
            self.b_ub,
            self.a_eq,
            self.b_eq,
            self.lower,
            self.upper,
            ub_duals,
            eq_duals,
        )


def relaxation(
    problem: SolverInput,
    intervals: range | None = None,
    floor_cost: float = 0.0,
    chained: bool = True,
) -> Relaxation:
    """The LP of the shortfall in ``intervals`` (all by default), over the shifts
    that cover any of them; every rule row keeps just those shifts, which only
    relaxes it, so the optima of disjoint interval ranges add up to a bound.
    ``chained``: each language set's presence is a column per interval, chained
    from the last by the shifts starting and ending (few nonzeros: the LP's
    form); otherwise the coverage rows sum the shifts themselves (a MIP's cuts
    work on those directly)."""
    groups = agent_groups(problem)
    options = problem.options
    intervals = intervals if intervals is not None else range(problem.interval_count)
    build = _Builder()
    x: dict[tuple[int, int], int] = {}
    for g, group in enumerate(groups):
        for o in group.agent.options:
            option = options[o]
            if option.first_interval < intervals.stop and option.last_interval >= intervals.start:
                x[g, o] = build.column(group.size if o in group.locked else 0.0, group.size)
    _rules(problem, groups, x, build)

    # presence per language set, chained over intervals
    sets = sorted({group.agent.languages for group in groups if group.agent.languages})
    set_size = {s: 0 for s in sets}
    for group in groups:
        if group.agent.languages:
            set_size[group.agent.languages] += group.size
    history = problem.history_presence()
    starts: dict[tuple[tuple[int, ...], int], list[int]] = defaultdict(list)
    ends: dict[tuple[tuple[int, ...], int], list[int]] = defaultdict(list)
    for (g, o), col in x.items():
        languages = groups[g].agent.languages
        option = options[o]
        if not languages or option.last_interval < option.first_interval:
            continue
        starts[languages, max(intervals.start, option.first_interval)].append(col)
        ends[languages, option.last_interval + 1].append(col)
    present: dict[tuple[tuple[int, ...], int], list[int]] = {}
    for s in sets:
        previous = None
        covering: list[int] = []
        for t in intervals:
            if not chained:
                ended = set(ends.get((s, t), ()))
                covering = [c for c in covering if c not in ended] + starts.get((s, t), [])
                present[s, t] = covering
                continue
            col = build.column(0.0, set_size[s])
            present[s, t] = [col]
            terms = [(col, 1.0)] + [(c, -1.0) for c in starts.get((s, t), ())]
            terms += [(c, 1.0) for c in ends.get((s, t), ())]
            if previous is not None:
                terms.append((previous, -1.0))
            build.equal(terms, 0.0)
            previous = col

    # allocation of present agents to languages, and shortfall; a language set with
    # one wanted language at t serves it directly (covering more than needed is
    # harmless), so only sets that must choose get allocation columns
    serving: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    floor_gaps: dict[tuple[int, int], int] = {}
    extra_served: dict[tuple[int, int], float] = defaultdict(float)
    for t in intervals:
        for s in sorted({*sets, *history[t]}):
            wanted = [lang for lang in s if problem.required[lang][t] > 0]
            if not wanted:
                continue
            extra = history[t].get(s, 0)
            if len(wanted) == 1:
                if s in set_size:
                    serving[wanted[0], t] += [(col, 1.0) for col in present[s, t]]
                extra_served[wanted[0], t] += extra
                continue
            cols = []
            for lang in wanted:
                upper = min(problem.required[lang][t], set_size.get(s, 0) + extra)
                col = build.column(0.0, upper)
                cols.append(col)
                serving[lang, t].append((col, 1.0))
            terms = [(c, 1.0) for c in cols]
            if s in set_size:
                terms += [(col, -1.0) for col in present[s, t]]
            build.at_most(terms, float(extra))
        for lang in range(len(problem.languages)):
            need = problem.required[lang][t]
            if need <= 0:
                continue
            col = build.column(0.0, need, 1.0)
            terms = [(c, -v) for c, v in serving[lang, t]] + [(col, -1.0)]
            build.at_most(terms, -float(need) + extra_served[lang, t])
            floor = min(problem.floor[lang], need)
            if floor_cost and floor:
                gap = build.column(0.0, 1.0, floor_cost)
                floor_gaps[lang, t] = gap
                terms = [(c, -v) for c, v in serving[lang, t]] + [(gap, -float(floor))]
                build.at_most(terms, -float(floor) + extra_served[lang, t])
    c, a_ub, b_ub, a_eq, b_eq, lower, upper = build.matrices()
    return Relaxation(c, a_ub, b_ub, a_eq, b_eq, lower, upper, groups, x, floor_gaps)


INTERVALS_PER_PART_MAX = 7 * 48
"""The LP is solved in parts of at most a week at 30-minute intervals (fewer
intervals at 15 minutes or with many agents), whose bounds add up."""
COLUMNS_PER_SECOND = 5_000
"""Rough size of a part's LP that the interior point method solves per second of
its share on two cores (measured on M: a week of 18,000 columns in 2-4 s)."""


def interval_parts(problem: SolverInput, seconds: float) -> list[range]:
    """Consecutive interval ranges: 7-day blocks, split into fewer days when a
    block's LP is too large for its share of ``seconds``."""
    per_day = problem.interval_count // max(1, problem.days)
    option_columns = sum(len(agent.options) for agent in problem.agents)
    allocation_columns = 3 * len(problem.languages) * problem.interval_count
    columns = option_columns + allocation_columns
    days = 7
    while days > 1:
        parts = math.ceil(problem.days / days)
        if columns * days / max(1, problem.days) <= COLUMNS_PER_SECOND * seconds / parts:
            break
        days -= 1
    step = max(1, days * per_day)
    return [
        range(first, min(problem.interval_count, first + step))
        for first in range(0, problem.interval_count, step)
    ]


class LpStop:
    """Stops an LP bound from another thread (``set()``): no part, re-solve or
    language starts after it, and the HiGHS runs in progress are interrupted.

    HiGHS has no cancel of its own (``highspy.Highs.cancelSolve()`` only sets a
    Python flag that a Python callback on the interior point polls, called
    thousands of times a second with the GIL: see ``IPM_ITERATIONS_PRESOLVED``).
    Here every run gets a Python callback that stays *dormant*: HiGHS calls it only
    once its interrupt callbacks are started, and ``set()`` starts them on the runs
    in progress (``startCallback`` sets the flag the interior point reads at each of
    its interrupt checks). So HiGHS never calls into Python while the LP is wanted,
    and once stopped it calls once, is told to stop, and returns (model status
    ``kInterrupt``, no error). That HiGHS reads the flag at each check is its code's
    behaviour (1.16), not a documented promise: ``tests/unit/solver/test_lp_stop.py``
    fails if a version stops reading it (the stopped LP would then wait for its
    parts)."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._lock = threading.Lock()
        self._running: set = set()

    def is_set(self) -> bool:
        return self.event.is_set()

    def set(self) -> None:
        with self._lock:
            self.event.set()
            for highs in self._running:
                _interrupt(highs)

    @contextmanager
    def watch(self, highs) -> Iterator[None]:
        """``highs``'s runs inside this block are interrupted by ``set()``, even one
        started just after it."""
        highs.setCallback(_interrupted, None)
        with self._lock:
            self._running.add(highs)
            if self.event.is_set():
                _interrupt(highs)
        try:
            yield
        finally:
            with self._lock:
                self._running.discard(highs)


def _interrupt(highs) -> None:
    import highspy

    kinds = highspy.cb.HighsCallbackType
    highs.startCallback(kinds.kCallbackIpmInterrupt)
    highs.startCallback(kinds.kCallbackSimplexInterrupt)
    highs.startCallback(kinds.kCallbackMipInterrupt)  # the window MIPs'


def _interrupted(kind, message, data_out, data_in, user_data) -> None:
    """HiGHS's interrupt callback, started by ``LpStop.set()`` only: stop."""
    if data_in is not None:
        data_in.user_interrupt = True


def lp_bound(
    problem: SolverInput,
    time_limit: float = 60.0,
    threads: int = 1,
    stop: LpStop | None = None,
) -> LpBound:
    """The proven bound, part by part within ``time_limit`` seconds: a part whose LP
    is not done in its share still gives the Lagrangian of its last duals, and
    never less than its capacity bound. Time the first pass leaves (parts differ:
    a holiday week's LP may take ten times another's) goes to the unfinished parts
    again, their better bound kept. ``threads`` parts are solved at once (HiGHS
    releases the GIL; one HiGHS thread each). Once ``stop`` is set no part starts
    and the running ones are interrupted: the bound is then the parts' so far
    (still valid), status ``stopped``."""
    from solver.bounds import capacity_by_interval

    stop = stop if stop is not None else LpStop()
    started = time.monotonic()
    deadline = started + time_limit
    capacity = capacity_by_interval(problem)
    parts = interval_parts(problem, time_limit)
    proven = [sum(capacity[t] for t in part) for part in parts]
    values: list[float | None] = [None] * len(parts)
    seconds = [0.0] * len(parts)
    found = LpBound(0, None, 0.0, "optimal")
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        for attempt in range(2):
            todo = [k for k in range(len(parts)) if values[k] is None]
            if stop.is_set():
                break
            solve = _PartSolver(problem, parts, deadline, len(todo), max(1, threads), stop)
            # results are taken in the parts' order, whichever finished first
            for k, (lp, solved) in zip(todo, pool.map(solve, todo), strict=True):
                if solved is None:
                    continue
                value, ub_duals, eq_duals, primal, optimal = solved
                bound = lp.bound_from(ub_duals, eq_duals)
                proven[k] = max(proven[k], math.ceil(bound - 1e-6 * max(1.0, abs(bound))))
                if optimal:
                    values[k] = value
                if optimal or attempt == 0:
                    found.groups = lp.groups
                    for (g, o), col in lp.shift_columns.items():
                        key = (g, o)
                        found.shift_values[key] = max(
                            found.shift_values.get(key, 0.0), float(primal[col])
                        )
            for k, took in solve.seconds.items():
                seconds[k] = took
    finished = all(value is not None for value in values)
    found.status = "optimal" if finished else "stopped" if stop.is_set() else "time limit"
    found.bound = sum(proven)
    found.lp_value = sum(values) if finished else None
    found.seconds = time.monotonic() - started
    if finished:
        found.parts = [LpPart(*part) for part in zip(parts, proven, values, seconds, strict=True)]
    return found


MERGE_GROWTH = 3.5
"""How many times longer the LP of two neighbouring parts takes than the longer of them
(M: a week 1.1-1.4 s, two weeks 4.0-4.5 s, four weeks 16.6 s, one thread each)."""


ROUND_SLACK = 2.0
"""How many times its expected time a round of longer parts may take once started
(a 1,000-agent month's fortnights: 57 s alone, 105 s beside a 300 s solve's window
MIPs, over their 87 s budget)."""


def merge_parts(
    problem: SolverInput,
    found: LpBound,
    deadline: float,
    threads: int = 1,
    stop: LpStop | None = None,
    most_seconds: float = math.inf,
) -> tuple[int, float | None]:
    """A bound from parts twice as long, again and again while each round is expected
    to finish before ``deadline`` and within ``most_seconds`` of starting (once started,
    a round may take ``ROUND_SLACK`` times what it was expected to): the best
    (bound, sum of the LP optima or None when a part did not finish), ``found``'s if
    none is better.

    Each part's rules keep only its own shifts, so the shifts of the week before that
    reach into a part's first hours (nights from the last date) are free there: their
    week's contract and days off are not in the part. With contracts the shift lengths
    use up (8.5 h shifts), every seam loses what those shifts cost: M's weeks add up to
    1,988, its fortnights 2,194, the month's LP is 2,323 (0.9% of required more)."""
    stop = stop if stop is not None else LpStop()
    best = (found.bound, found.lp_value)
    level = list(found.parts)
    budget_ends = min(deadline, time.monotonic() + most_seconds)
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        while len(level) > 1 and not stop.is_set():
            pairs = [level[k : k + 2] for k in range(0, len(level), 2)]
            merged = [range(pair[0].intervals.start, pair[-1].intervals.stop) for pair in pairs]
            todo = [k for k, pair in enumerate(pairs) if len(pair) == 2]
            rounds = math.ceil(len(todo) / max(1, threads))
            expected = MERGE_GROWTH * max(part.seconds for part in level) * rounds
            now = time.monotonic()
            if now + expected > budget_ends:
                break
            # a round that fits may run on to ROUND_SLACK times its expected time (on a
            # loaded machine), never past ``deadline``: cut at the budget it gives nothing
            ends = min(deadline, max(budget_ends, now + ROUND_SLACK * expected))
            solve = _PartSolver(problem, merged, ends, len(todo), max(1, threads), stop)
            next_level = [pair[0] for pair in pairs]  # a part left alone keeps its bound
            for k, (lp, solved) in zip(todo, pool.map(solve, todo), strict=True):
                bound, value = sum(part.bound for part in pairs[k]), None  # the halves'
                if solved is not None:
                    proven = lp.bound_from(solved[1], solved[2])
                    bound = max(bound, math.ceil(proven - 1e-6 * max(1.0, abs(proven))))
                    value = solved[0] if solved[4] else None
                next_level[k] = LpPart(merged[k], bound, value, solve.seconds.get(k, math.inf))
            level = next_level
            values = [part.value for part in level]
            best = (
                max(best[0], sum(part.bound for part in level)),
                best[1] if None in values else sum(values),  # the longest parts all solved
            )
    return best


class _PartSolver:
    """Solves one part in its share of the time left: over half the rounds of
    ``threads`` parts still to start, its own included, rounded down (with two or
    three rounds to go a part may take it all). Equal shares (the time over every
    round) stop every part unfinished when none fits in one: a 2,500-agent month's
    four weeks on two threads, each needing 60-70% of the time, gave the capacity
    bound; now its first two weeks finish (a part done early leaves its time to the
    next). Nothing starts once ``stop`` is set."""

    def __init__(
        self,
        problem,
        parts: list[range],
        deadline: float,
        count: int,
        threads: int,
        stop: LpStop,
    ):
        self.problem = problem
        self.parts = parts
        self.deadline = deadline
        self.rounds = math.ceil(count / threads)
        self.started = 0
        self.threads = threads
        self.lock = threading.Lock()
        self.stop = stop
        self.seconds: dict[int, float] = {}
        """Part -> how long its LP took (written and solved)."""

    def __call__(self, k: int):
        if self.stop.is_set():
            return None, None
        started = time.monotonic()
        with self.lock:  # the parts of one round get one share (five parts: two, two, one)
            rounds = self.rounds - self.started // self.threads
            self.started += 1
        share = (self.deadline - started) / max(1, rounds // 2)
        if share < 0.5:
            return None, None
        lp = relaxation(self.problem, self.parts[k])
        share -= time.monotonic() - started  # writing a month's LP takes a while too
        if self.stop.is_set() or share < 0.5:  # stopped (or out of time) while written
            return None, None
        solved = _solve(lp, share, self.stop)
        self.seconds[k] = time.monotonic() - started
        return lp, solved


def highs_model(lp: Relaxation):
    """The relaxation as HiGHS's LP (rows: the inequalities, then the equalities)."""
    import highspy

    matrix = vstack([lp.a_ub, lp.a_eq]).tocsc()
    model = highspy.HighsLp()
    model.num_col_ = len(lp.c)
    model.num_row_ = matrix.shape[0]
    model.col_cost_ = lp.c
    model.col_lower_ = lp.lower
    model.col_upper_ = lp.upper
    model.row_lower_ = np.concatenate([np.full(lp.a_ub.shape[0], -highspy.kHighsInf), lp.b_eq])
    model.row_upper_ = np.concatenate([lp.b_ub, lp.b_eq])
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = matrix.indptr
    model.a_matrix_.index_ = matrix.indices
    model.a_matrix_.value_ = matrix.data
    return model


def quiet_highs():
    """A HiGHS solver that prints nothing, on one thread."""
    import highspy

    # the private class: highspy.Highs() prints a banner to stdout when made, and
    # stdout is where `sunshift` commands write their JSON
    highs = getattr(highspy._core, "_Highs", highspy.Highs)()
    highs.setOptionValue("output_flag", False)
    # one thread, always: HiGHS keeps one scheduler per process and refuses a run
    # asking for another thread count (its interior point is serial anyway)
    highs.setOptionValue("threads", 1)
    return highs


IPM_ITERATIONS_PRESOLVED = 100
"""Interior-point iterations on the presolved LP after which it is stopped and solved
again without presolve for the time left. A part's LP takes 30-60 (M, DST, SCARCE,
the 1,000- and 2,500-agent months), but the year-end case's Christmas week took 703
presolved (33 s) and 35 unpresolved (3 s); unpresolved, the other parts take 1.6-1.9
times as long, so presolve stays first. HiGHS's own iteration limit, not a Python
callback: a callback needs the GIL, and with the local search running beside the LP
(pure Python) a 1,000-agent month's one-day parts then took over 4 s each where
they take 0.1-0.5 s (the whole LP: not done in 30 s, against 10.5 s)."""


def _solve(lp: Relaxation, seconds: float, stop: LpStop | None = None):
    """Interior point without crossover (the duals are all the bound needs);
    interrupted by ``stop`` (then no re-solve)."""
    import highspy

    stop = stop if stop is not None else LpStop()
    deadline = time.monotonic() + seconds
    model = highs_model(lp)
    highs = quiet_highs()
    highs.setOptionValue("solver", "ipm")
    highs.setOptionValue("run_crossover", "off")
    highs.setOptionValue("time_limit", float(seconds))
    highs.setOptionValue("ipm_iteration_limit", IPM_ITERATIONS_PRESOLVED)
    highs.passModel(model)
    with stop.watch(highs):
        highs.run()
        first = _result(lp, highs, model)
        left = deadline - time.monotonic()
        stuck = highs.getModelStatus() == highspy.HighsModelStatus.kIterationLimit
        if not stuck or left <= 0.5 or stop.is_set():
            return first
        highs.setOptionValue("presolve", "off")
        highs.setOptionValue("ipm_iteration_limit", highspy.kHighsIInf)
        # HiGHS counts its time limit from the instance's first run, not from this one
        highs.setOptionValue("time_limit", highs.getRunTime() + left)
        highs.clearSolver()
        highs.run()
        again = _result(lp, highs, model)
    if first is None or (again is not None and again[4]):
        return again
    if again is not None:  # neither finished: the better bound of the two
        return max(first, again, key=lambda run: lp.bound_from(run[1], run[2]))
    return first


def _result(lp: Relaxation, highs, model):
    """(value, ub duals, eq duals, primal, optimal) of a run, None without duals."""
    import highspy

    solution = highs.getSolution()
    # an unfinished interior point still has duals: any duals give a valid bound
    duals = np.asarray(solution.row_dual, dtype=float)
    if duals.shape[0] != model.num_row_:
        return None
    rows = lp.a_ub.shape[0]
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    primal = np.asarray(solution.col_value, dtype=float)
    if primal.shape[0] != len(lp.c):
        primal = np.zeros(len(lp.c))
    value = highs.getInfo().objective_function_value
    # HiGHS's row duals are the objective's derivative by the row bound: negated,
    # they are the Lagrange multipliers of ``lagrangian_bound``
    return value, -duals[:rows], -duals[rows:], primal, optimal


def _rules(problem: SolverInput, groups: list[AgentGroup], x, build: _Builder) -> None:
    """Every hard rule of one agent, times the group's count."""
    options = problem.options
    for g, group in enumerate(groups):
        agent, n = group.agent, float(group.size)
        by_day: dict[int, list[int]] = defaultdict(list)
        for o in agent.options:
            if (g, o) in x:
                by_day[options[o].day].append(o)
        for found in by_day.values():
            if len(found) > 1:
                build.at_most([(x[g, o], 1.0) for o in found], n)
        for block in problem.blocks:
            in_block = [o for day in block for o in by_day.get(day, ())]
            if not in_block:
                continue
            minutes = [options[o].minutes for o in in_block]
            most = sum(max(options[o].minutes for o in by_day[d]) for d in block if d in by_day)
            needed = days_off_needed(agent.rules.min_days_off_per_block, len(block))
            lengths_by_day = [{options[o].minutes for o in by_day.get(d, ())} for d in block]
            cap = reachable_minutes(
                lengths_by_day, agent.max_minutes_per_block, len(block) - needed
            )
            if most > cap:
                build.at_most(
                    [(x[g, o], float(m)) for o, m in zip(in_block, minutes, strict=True)],
                    n * cap,
                )
            # whole shifts of a few lengths: four 8.5 h days or five 8 h nights, not 4.7 days
            for weights, limit in length_hull_rows(
                lengths_by_day, agent.max_minutes_per_block, len(block) - needed
            ):
                build.at_most(
                    [
                        (x[g, o], float(weights[m]))
                        for o, m in zip(in_block, minutes, strict=True)
                        if m in weights
                    ],
                    n * limit,
                )
            worked_days = sum(1 for d in block if d in by_day)
            if needed and worked_days > len(block) - needed:
                build.at_most([(x[g, o], 1.0) for o in in_block], n * (len(block) - needed))
        limit = agent.rules.max_consecutive_days
        for first in range(-limit, problem.days - limit):
            days = range(max(0, first), first + limit + 1)
            # worked days that are no column: history shifts before the first date
            # (and, in a neighbourhood of the roster, the agent's fixed shifts around it)
            fixed = sum(
                1
                for day in range(first, first + limit + 1)
                if day in agent.history_days and day not in by_day
            )
            cols = [x[g, o] for day in days for o in by_day.get(day, ())]
            open_days = sum(1 for day in days if day in by_day)
            if cols and open_days > limit - fixed:
                build.at_most([(c, 1.0) for c in cols], n * max(0, limit - fixed))
        _rest_cliques(problem, agent, by_day, lambda o, g=g: x[g, o], n, build)


def _rest_cliques(problem, agent: SolverAgent, by_day, column, n: float, build: _Builder) -> None:
    """Shifts of a date ending at or after E and shifts of a later date starting
    before E + rest pairwise clash (and each date holds one shift): a clique."""
    options = problem.options
    rest = agent.rules.min_rest_minutes
    window = rest_window_days(rest)
    seen: set[tuple[int, ...]] = set()
    for day, found in by_day.items():
        for end in sorted({options[o].end_minute for o in found}):
            late = [o for o in found if options[o].end_minute >= end]
            for later_day in range(day + 1, day + 1 + window):
                early = [
                    o for o in by_day.get(later_day, ()) if options[o].start_minute < end + rest
                ]
                if not early:
                    continue
                key = tuple(sorted(late + early))
                if key in seen:
                    continue
                seen.add(key)
                build.at_most([(column(o), 1.0) for o in key], n)


def lp_guided_order(problem: SolverInput, found: LpBound) -> list[tuple[int, int]]:
    """(agent, option) pairs in the order the LP is surest of them: a group's value
    on a shift is spread over its members (2.4 -> 1, 1, 0.4), largest first."""
    ranked = []
    for (g, o), value in found.shift_values.items():
        for k, a in enumerate(found.groups[g].members):
            share = min(1.0, value - k)
            if share < 0.2:
                break
            ranked.append((-share, problem.options[o].day, a, o))
    ranked.sort()
    return [(a, o) for _, _, a, o in ranked]


def language_problem(problem: SolverInput, lang: int) -> SolverInput:
    """The problem of one language alone: its speakers, all serving it. Any roster's
    shortfall of that language is at least this problem's best."""
    speakers = [a for a, agent in enumerate(problem.agents) if lang in agent.languages]
    position = {a: i for i, a in enumerate(speakers)}
    agents = tuple(replace(problem.agents[a], languages=(0,)) for a in speakers)
    history = tuple((t, (0,), n) for t, group, n in problem.history_present if lang in group)
    return replace(
        problem,
        languages=(problem.languages[lang],),
        agents=agents,
        required=(problem.required[lang],),
        floor=(0,),
        locked=frozenset((position[a], o) for a, o in problem.locked if a in position),
        previous=frozenset(),
        history_present=history,
    )


def language_bounds(
    problem: SolverInput, deadline: float, stop: LpStop | None = None
) -> dict[int, int]:
    """Per language with demand, the LP bound of its own problem, largest demand
    first, while there is time before ``deadline`` (a ``time.monotonic()`` value)
    and ``stop`` is not set (a language stopped mid-way is left out). Each language's
    weeks are merged into longer parts while its share of the time lasts (the seams
    between weeks lose what they lose in the whole problem's bound)."""
    stop = stop if stop is not None else LpStop()
    found: dict[int, int] = {}
    order = sorted(range(len(problem.languages)), key=lambda lang: -sum(problem.required[lang]))
    for k, lang in enumerate(order):
        if not any(problem.required[lang]):
            continue
        seconds = (deadline - time.monotonic()) / (len(order) - k)
        if seconds < 0.5 or stop.is_set():
            break
        share_ends = time.monotonic() + seconds
        own = language_problem(problem, lang)
        alone = lp_bound(own, seconds, stop=stop)
        if alone.status == "stopped":
            break
        found[lang] = alone.bound
        if alone.parts:
            found[lang], _ = merge_parts(own, alone, share_ends, stop=stop)
    return found
