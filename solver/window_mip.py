"""Windows of dates re-planned whole by a MIP (HiGHS): every agent's shifts on a
few dates of one 7-day block are freed (a part of the agents at a time when the
window is too large for one MIP; once the windows of dates have settled, a part of
the agents on the whole block: ``CUTS``), the rest of the roster stays.

Why: the local search moves one agent's shift at a time and stalls where every
agent already works all the hours his shifts can reach (on M, 2,700 shortfall
against an LP bound of 1,789); the hours are in the wrong places, and moving them
takes changes to many agents at once. A MIP over every agent of a window does that.

The window's MIP is the LP relaxation of ``solver.lp_bound`` (the same rule rows,
one definition) written for a sub-problem whose agents have only the window's
options: each agent keeps the options that do not clash (rest, date) with his
fixed shifts outside it; his worked dates just outside it count in its
consecutive-days rows (``history_days``); his fixed shifts elsewhere in the block
take their minutes and dates off his contract and days off; the fixed shifts
overlapping the window's intervals are constant presence (``history_present``).
Agents with the same site, rules, remaining options and boundary are one group
(most are alone), so the MIP's rows are each agent's rules: its integer solution
is a roster of the window, shared out to a group's members by a small CP-SAT
model. Like RINS, the group shifts on which the window's LP agrees with the
current roster are fixed first, which leaves HiGHS a MIP it improves in seconds
(windows of dates; the ``agents`` cut's parts fix nothing).

Two windows run at once (HiGHS releases the GIL, one thread each) unless they
``_clash``: neighbouring dates (a rule reaches across) and an agent both re-plan. A
core takes the next window as soon as its MIP ends, and a MIP ends as soon as its
roster is proven near its window's best (``ENOUGH_GAP``). A result is kept only if
the whole roster's (floor gaps, shortfall, idle minutes) does not get worse.
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from solver.evaluate import coverage_cost, shortfall_by_interval
from solver.input import ShiftOption, SolverAgent, SolverInput
from solver.lp_bound import (
    AgentGroup,
    LpStop,
    Relaxation,
    highs_model,
    quiet_highs,
    relaxation,
)
from solver.rules import HARD_RULES
from solver.rules.days_off import days_off_needed
from solver.schedule import AgentSchedule
from solver.variables import RosterVariables

_log = logging.getLogger(__name__)

FLOOR_GAP_COST = 1_000.0
"""A floor-gap interval in the window's MIP, in agent-intervals of shortfall: floors
first, as everywhere (the result is checked lexicographically anyway)."""
ENOUGH_GAP = 8.0
"""A window's MIP stops when its roster is proven within this many agent-intervals of
the window's best (HiGHS's dual bound): the rest of its time does more in the next
window."""
AGREEMENT = 0.05
"""A group's shift is fixed when the window's LP is within this of the roster's count."""
WINDOW_DAYS = 4
"""Dates re-planned at once. Measured on M from the same roster (2,719), rounds of
two windows on two cores: 4-date windows at 9 s each -140 in 39 s (12 s: -158 in
51 s); 7-date blocks at 12 s nothing in 27 s (HiGHS is still at its root), at 20 s
-153 in 105 s; 5 dates at 9 s -33; 3 dates at 7 s -67 in 46 s; 2 dates at 4 s -67."""
WINDOW_INTERVALS = 4 * 48
"""Intervals re-planned at once, which decide a window MIP's size as much as its
dates: at 15-minute intervals windows have half as many dates (``window_days``).
Measured on a 160-agent month at 15 minutes from the same roster (6,642), 30 s of
windows: 4 dates -186, 3 dates -374, 2 dates -738."""
WHOLE_COLUMNS = 6_000
"""A window of dates with more free shift columns is re-planned a part of its agents
at a time (``agent_parts``, ``PART_COLUMNS``): HiGHS would not get past its root on
the whole window in its time. Such windows were once left out, so a 1,000-agent
month (14,000 columns a window) had no window phase; at 300 s it then went from
16,909 to 16,106 (one-date windows of every agent, tried before,
settled at 17,631). Parts for smaller windows too were measured and not kept: a
400-agent month (5,500 columns a window) at 60 s ended at 5,661 / 5,669 in parts
of 3,000 against 5,540-5,579 whole (though 35 s of windows alone from one roster
gave 5,747 against 5,889); M (2,600-3,000) 43 s of windows in parts of 2,000: 2,553
against 2,523."""
PART_COLUMNS = 3_000
"""The size of those parts: each MIP as quick as one of M's whole windows."""
GOOD_SECONDS = 12.0
"""A window's MIP gets this much when the time allows (HiGHS's improving roster of an
M window comes after about 5 s of cuts at its root and 5 s of its own sub-MIP;
most MIPs end earlier, ``ENOUGH_GAP``)."""
MOST_SECONDS = 30.0
"""And at most this; long limits make further passes over the windows instead."""
LEAST_SECONDS = 6.0
"""Below this HiGHS rarely gets past its root on an M window."""
WINDOW_OVERHEAD_SECONDS = 1.5
"""Per window: building its model, sharing out, costing the roster."""
TICK_SECONDS = 1.0
"""Progress while HiGHS works, so elapsed moves and a cancel is seen."""
PHASE_SHARE = 0.5
"""Window MIPs are worth their time when the four windows with most shortfall, two
at a time at ``GOOD_SECONDS``, fit in this share of the limit: a 60 s solve of a
160-agent month (about 38 s for the windows) takes all eight of its windows once."""


@dataclass(frozen=True)
class WindowProblem:
    problem: SolverInput
    """Agents with only the window's options that fit around their fixed shifts."""
    free: frozenset[int]
    """Options on the window's dates."""
    intervals: range
    """Every interval a free option covers."""
    movable: frozenset[int] | None = None
    """The agents whose shifts on the window's dates are re-planned (None: all); the
    others' shifts stay and count as presence."""

    def frees(self, a: int, o: int) -> bool:
        """Whether agent ``a``'s shift ``o`` is re-planned by the window."""
        return o in self.free and (self.movable is None or a in self.movable)


def window_problem(
    problem: SolverInput,
    chosen: set[tuple[int, int]],
    days: set[int],
    movable: frozenset[int] | None = None,
) -> WindowProblem:
    """The window of ``days`` for the ``movable`` agents (None: every agent)."""
    options = problem.options
    free = frozenset(o for o, option in enumerate(options) if option.day in days)
    first = min((options[o].first_interval for o in free), default=0)
    last = max((options[o].last_interval for o in free), default=-1)
    fixed_by_agent: dict[int, list[int]] = defaultdict(list)
    for a, o in chosen:
        if o not in free or (movable is not None and a not in movable):
            fixed_by_agent[a].append(o)
    present: Counter[tuple[int, tuple[int, ...]]] = Counter()
    agents = []
    block_days = set(problem.blocks[problem.block_of_day[min(days)]])
    for a, agent in enumerate(problem.agents):
        fixed = [options[o] for o in fixed_by_agent[a]]
        rest = agent.rules.min_rest_minutes
        kept = tuple(
            o
            for o in agent.options
            if o in free
            and (movable is None or a in movable)
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
        agents.append(_around_fixed(problem, agent, kept, frozenset(worked), fixed, block_days))
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
    return WindowProblem(sub, free, range(first, last + 1), movable)


@dataclass
class WindowRoster:
    groups: list[AgentGroup]
    counts: dict[tuple[int, int], int]
    """(group, option) -> members of the group on that shift."""


def _around_fixed(
    problem: SolverInput,
    agent: SolverAgent,
    kept: tuple[int, ...],
    worked: frozenset[int],
    fixed: list[ShiftOption],
    block_days: set[int],
) -> SolverAgent:
    """The agent of a window of dates within one block: his fixed shifts elsewhere in
    that block use up weekly minutes and dates, so his contract and days off shrink
    by them (a whole block's window leaves them as they are)."""
    in_block = [f for f in fixed if f.day in block_days]
    if not in_block:
        return replace(agent, options=kept, history_days=worked)
    length = len(block_days)
    needed = days_off_needed(agent.rules.min_days_off_per_block, length)
    # days_off_needed(m, length) = m - (7 - length): the rule that leaves
    # needed + len(in_block) dates off to the window
    rules = replace(agent.rules, min_days_off_per_block=needed + len(in_block) + 7 - length)
    return replace(
        agent,
        options=kept,
        history_days=worked,
        max_minutes_per_block=agent.max_minutes_per_block - sum(f.minutes for f in in_block),
        rules=rules,
    )


def solve_window(
    window: WindowProblem,
    chosen: set[tuple[int, int]],
    seconds: float,
    stop: LpStop | None = None,
    fix_agreed: bool = True,
) -> WindowRoster | None:
    """The best roster of the window HiGHS finds from the current one within
    ``seconds`` (or until ``stop`` is set); None if it found none. ``fix_agreed``:
    the group shifts the window's LP agrees on are fixed first (RINS)."""
    import highspy

    started = time.monotonic()
    # coverage rows that sum the shifts themselves: HiGHS's cuts work on those (from
    # the same rosters, 38 s of windows: M -196 where the chained presence of the
    # bound's LP gave -145, the scarce-language month -272 against -169)
    lp = relaxation(window.problem, window.intervals, floor_cost=FLOOR_GAP_COST, chained=False)
    group_of = {a: g for g, group in enumerate(lp.groups) for a in group.members}
    current = Counter((group_of[a], o) for a, o in chosen if window.frees(a, o))
    model = highs_model(lp)
    if fix_agreed:
        model.col_lower_, model.col_upper_ = _fix_agreed(lp, model, current, seconds, stop)
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
    highs.setOptionValue("mip_abs_gap", ENOUGH_GAP)
    highs.passModel(model)
    columns = list(lp.shift_columns.values())
    start = [float(current.get(key, 0)) for key in lp.shift_columns]
    highs.setSolution(len(columns), np.array(columns, dtype=np.int32), np.array(start))
    _run(highs, stop)
    solution = highs.getSolution()
    values = np.asarray(solution.col_value, dtype=float)
    if not solution.value_valid or values.shape[0] != len(lp.c):
        return None
    counts = {key: int(round(values[col])) for key, col in lp.shift_columns.items()}
    return WindowRoster(lp.groups, counts)


def _run(highs, stop: LpStop | None) -> None:
    """HiGHS's run, interrupted (LP or MIP) soon after ``stop`` is set: a cancelled
    solve leaves no MIP running on in its thread. The interrupt callback stays dormant
    until then, so HiGHS never calls into Python while the MIP is wanted."""
    if stop is None:
        highs.run()
        return
    with stop.watch(highs):
        highs.run()


def _fix_agreed(lp: Relaxation, model, current: Counter, seconds: float, stop: LpStop | None):
    """Column boxes with the group shifts the LP agrees on fixed (RINS)."""
    highs = quiet_highs()
    highs.setOptionValue("solver", "ipm")
    highs.setOptionValue("run_crossover", "off")
    highs.setOptionValue("time_limit", max(1.0, seconds / 3))
    highs.passModel(model)
    _run(highs, stop)
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
    problem: SolverInput, window: WindowProblem, found: WindowRoster, chosen: set[tuple[int, int]]
) -> set[tuple[int, int]]:
    """The roster with the window's shifts replaced by ``found``'s: a group's shifts go
    to its members by a small CP-SAT model of the real rules (at most the counts,
    as many minutes as possible); a lone agent's MIP rows are his rules already,
    but the start-time spread rule is not in them, so his shifts are replayed through
    every rule check first (CP-SAT only if one fails)."""
    by_agent: dict[int, set[int]] = defaultdict(set)
    for a, o in chosen:
        by_agent[a].add(o)
    result = {(a, o) for a, o in chosen if not window.frees(a, o)}
    for g, group in enumerate(found.groups):
        members = list(group.members)
        if window.movable is not None and not set(members) <= window.movable:
            # a group with an agent the window leaves as he is has no free options: a
            # re-planned member of it (every option clashing) keeps his shifts too
            result.update((a, o) for a in members for o in by_agent[a] if window.frees(a, o))
            continue
        now = Counter(o for a in members for o in by_agent[a] if o in window.free)
        wanted = {o: n for o in group.agent.options if (n := found.counts.get((g, o), 0)) > 0}
        if Counter(wanted) == now:
            result.update((a, o) for a in members for o in by_agent[a] if o in window.free)
            continue
        if len(members) == 1 and _keeps_rules(problem, members[0], by_agent, window, wanted):
            result.update((members[0], o) for o in wanted)
            continue
        result.update(_members_shifts(problem, window, members, wanted, by_agent))
    return result


def _keeps_rules(
    problem: SolverInput,
    a: int,
    by_agent: dict[int, set[int]],
    window: WindowProblem,
    wanted: dict[int, int],
) -> bool:
    """Whether one agent's new window shifts and his fixed ones keep every rule."""
    options = problem.options
    schedule = AgentSchedule(problem.agents[a], problem)
    shifts = [o for o in by_agent[a] if o not in window.free] + list(wanted)
    for o in sorted(shifts, key=lambda o: options[o].day):
        option = options[o]
        block_index = problem.block_of_day[option.day]
        if not schedule.fits(option, block_index):
            return False
        schedule.take(option, block_index)
    return True


def _members_shifts(
    problem: SolverInput,
    window: WindowProblem,
    members: list[int],
    wanted: dict[int, int],
    by_agent: dict[int, set[int]],
) -> set[tuple[int, int]]:
    options = problem.options
    agents, fixed = [], set()
    for i, a in enumerate(members):
        outside = {o for o in by_agent[a] if o not in window.free}
        inside = set(wanted) | {o for o in by_agent[a] if o in window.free}
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
    for o in {o for i in range(len(members)) for o in agents[i].options if o in window.free}:
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
        return {(a, o) for a in members for o in by_agent[a] if o in window.free}
    return {
        (members[i], o)
        for (i, o), var in variables.assigned.items()
        if (i, o) not in fixed and solver.boolean_value(var)
    }


CUTS = ("even", "shifted", "agents")
"""How passes cut each 7-day block into windows, in turn: from its first date (4 + 3
dates on M), then shifted (3 + 4: a window then spans the last pass's cut, where
its MIPs could not move a shift), then the whole block for a part of its agents at
a time (``agent_parts``, every shift of theirs free: a week's hours and a day off
move across its dates, in a MIP the size of a window of dates). Measured on M:
once the windows of dates have settled (2,523), parts of the agents gain more
(-76 in 120 s, against -47 for more windows of dates); whole blocks with every
agent, what the third pass was before, gained -11 and -24 in 52 and 60 s. A 300 s
solve of M: 2,487 with whole blocks, 2,431 with parts of the agents; from a fresh
roster dates gain more (44 s: -284 against -190), so the parts come last."""
AGENT_PART_COLUMNS = 2_000
"""Free shift columns of a part in the ``agents`` cut (M: a week's 5,250 in three
parts), smaller than ``PART_COLUMNS``: nothing of it is fixed by the LP."""
AGENT_PART_SEED = 7
"""The agents are shared into parts at random, the same way on every run."""

Window = tuple[tuple[int, ...], frozenset[int] | None, bool]
"""A window's dates, the agents it re-plans (None: all of them), and whether the
shifts its LP agrees on are fixed (``solve_window``'s ``fix_agreed``)."""


def window_days(problem: SolverInput) -> int:
    """Dates per window: ``WINDOW_DAYS``, fewer when a date has more intervals than
    at 30 minutes (``WINDOW_INTERVALS``)."""
    per_date = problem.interval_count // max(1, problem.days)
    return max(1, min(WINDOW_DAYS, WINDOW_INTERVALS // max(1, per_date)))


def windows(problem: SolverInput, cut: str = CUTS[0]) -> list[tuple[int, ...]]:
    """Each 7-day block cut into windows of ``window_days`` dates as ``cut`` says
    (``CUTS``)."""
    size = window_days(problem)
    found = []
    for block in problem.blocks:  # 7 dates (fewer at the period's end)
        if cut == "agents" or len(block) <= size:
            found.append(tuple(block))
            continue
        offset = (len(block) % size or size // 2) if cut == "shifted" else 0
        starts = sorted({0, *range(offset, len(block), size)})
        ends = [*starts[1:], len(block)]
        found += [tuple(block[start:end]) for start, end in zip(starts, ends, strict=True)]
    return found


def window_order(
    problem: SolverInput, chosen: set[tuple[int, int]] = frozenset(), cut: str = CUTS[0]
) -> list[tuple[int, ...]]:
    """The windows a MIP can take, the ones with the most shortfall first: when the
    limit leaves time for only some of them."""
    found = _fitting(problem, cut)
    short = shortfall_by_interval(problem, sorted(chosen))
    score = {w: sum(short[t] for t in _span(problem, w)) for w in found}
    return sorted(found, key=lambda w: -score[w])


def _fitting(problem: SolverInput, cut: str) -> list[tuple[int, ...]]:
    """The windows of ``cut`` a MIP can take: those where every agent's free shift
    columns fit a part (``PART_COLUMNS``, ``AGENT_PART_COLUMNS``)."""
    size = _part_size(cut)
    return [
        days
        for days in windows(problem, cut)
        if max(_agent_columns(problem, days).values(), default=0) <= size
    ]


def _part_size(cut: str) -> int:
    return AGENT_PART_COLUMNS if cut == "agents" else PART_COLUMNS


def agent_parts(
    problem: SolverInput, days: tuple[int, ...], rng: random.Random, size: int
) -> list[frozenset[int]]:
    """The agents with options on ``days`` shared at random into parts of at most about
    ``size`` free shift columns each (one part where they all fit)."""
    columns = _agent_columns(problem, days)
    agents = sorted(columns)
    rng.shuffle(agents)
    count = max(1, -(-sum(columns.values()) // size))
    return [frozenset(agents[k::count]) for k in range(count) if agents[k::count]]


def _agent_columns(problem: SolverInput, days: tuple[int, ...]) -> Counter[int]:
    """Shift columns each agent has on ``days`` (agents with none left out)."""
    options, wanted = problem.options, set(days)
    return Counter(
        a
        for a, agent in enumerate(problem.agents)
        for o in agent.options
        if options[o].day in wanted
    )


def _pass(
    problem: SolverInput, chosen: set[tuple[int, int]], cut: str, rng: random.Random
) -> list[Window]:
    """A pass's windows, the ones with the most shortfall first; a window too large for
    one MIP in parts of its agents, and every window of the ``agents`` cut too."""
    size, fixed = _part_size(cut), cut != "agents"
    found: list[Window] = []
    for days in window_order(problem, chosen, cut):
        if fixed and sum(_agent_columns(problem, days).values()) <= WHOLE_COLUMNS:
            found.append((days, None, fixed))
        else:
            found += [(days, part, fixed) for part in agent_parts(problem, days, rng, size)]
    return found


def _clash(problem: SolverInput, first: Window, second: Window) -> bool:
    """Whether two windows may not run at once: a rule of one reaches into the other's
    dates (``neighbours``) for an agent both re-plan."""
    if not neighbours(problem, first[0], second[0]):
        return False
    return first[1] is None or second[1] is None or bool(first[1] & second[1])


def neighbours(problem: SolverInput, first: tuple[int, ...], second: tuple[int, ...]) -> bool:
    """Whether two windows are in one block or next to each other: a rule of one
    reaches into the other's dates (a week's hours, rest, a run of dates), so they
    never run at once for the same agent (``_clash``)."""
    block = problem.block_of_day
    return block[first[0]] == block[second[0]] or (
        first[-1] + 1 >= second[0] and second[-1] + 1 >= first[0]
    )


def _span(problem: SolverInput, days: tuple[int, ...]) -> range:
    options = [option for option in problem.options if option.day in set(days)]
    if not options:
        return range(0)
    return range(
        min(option.first_interval for option in options),
        max(option.last_interval for option in options) + 1,
    )


def improve_windows(
    problem: SolverInput,
    chosen: set[tuple[int, int]],
    deadline: float,
    on_round: Callable[[set[tuple[int, int]]], None] | None = None,
) -> set[tuple[int, int]]:
    """Window MIPs two at a time (never two that ``_clash``), pass after pass (the blocks cut
    in turn as ``CUTS`` says) until as many windows in a row as a pass of each cut
    holds have gained nothing, or ``deadline`` (a ``time.monotonic()`` value). A
    core takes the next window as soon as its last one ends, from the next pass when
    this one's last window is running (a MIP stops early when its roster is proven
    within ``ENOUGH_GAP`` of its window's best). ``on_round(roster)`` is told the
    roster every second and after every window (it may raise to stop: the MIPs are
    then interrupted)."""
    current = set(chosen)
    best = coverage_cost(problem, current)
    rng = random.Random(AGENT_PART_SEED)
    cuts = itertools.cycle(CUTS)
    queue = _pass(problem, current, next(cuts), rng)
    cycle = sum(len(_pass(problem, current, cut, random.Random(AGENT_PART_SEED))) for cut in CUTS)
    in_vain = 0
    stop = LpStop()
    running: dict[Future, tuple[Window, WindowProblem]] = {}
    pool = ThreadPoolExecutor(max_workers=2)
    try:
        while in_vain < cycle:
            for _ in CUTS:  # the next pass, even while this one's last window runs
                if queue:
                    break
                queue = _pass(problem, current, next(cuts), rng)  # (no block may fit)
            while len(running) < 2:
                taken = next(
                    (
                        w
                        for w in queue
                        if not any(_clash(problem, w, other) for other, _ in running.values())
                    ),
                    None,
                )
                left = deadline - time.monotonic()
                if taken is None or left < LEAST_SECONDS:
                    break
                queue.remove(taken)
                seconds = min(MOST_SECONDS, max(GOOD_SECONDS, 2 * left / (len(queue) + 1)), left)
                days, agents, fixed = taken
                try:
                    window = window_problem(problem, current, set(days), agents)
                except Exception:  # a failing window never fails the solve
                    _log.exception("a window's model failed; the roster stays as it was")
                    continue
                future = pool.submit(solve_window, window, current, seconds, stop, fixed)
                running[future] = (taken, window)
            if not running:  # no time left for a window (or none could be built)
                return current
            done, _ = wait(running, timeout=TICK_SECONDS, return_when=FIRST_COMPLETED)
            for future in done:
                (days, _, _), window = running.pop(future)
                try:
                    found = future.result()
                    candidate = (
                        current if found is None else share_out(problem, window, found, current)
                    )
                    cost = coverage_cost(problem, candidate)
                except Exception:  # a failing MIP never fails the solve: the roster stays
                    _log.exception("the window MIP of dates %s failed; the roster stays", days)
                    in_vain += 1
                    continue
                _log.debug("window %s: %s -> %s", days, best, cost)
                in_vain = 0 if cost < best else in_vain + 1
                if cost <= best:  # an equal roster may still let the next window move
                    current, best = candidate, cost
            if on_round is not None:  # progress every second and after every window
                on_round(current)
        return current
    finally:
        stop.set()  # interrupts the MIPs still running (a cancel, an error)
        pool.shutdown(wait=False, cancel_futures=True)


def window_mip_fits(problem: SolverInput, limit_seconds: float) -> bool:
    """Whether the window MIPs have time enough in this limit (and some window fits
    a MIP at all)."""
    found = _fitting(problem, CUTS[0])
    needed = min(4, len(found)) / 2 * (GOOD_SECONDS + WINDOW_OVERHEAD_SECONDS)
    return bool(found) and needed <= PHASE_SHARE * limit_seconds
