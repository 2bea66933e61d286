"""The search for a roster, phase by phase, on one clock (``solver.budget``).

1. a greedy roster (``solver.greedy``), valid by construction, in seconds;
2. the proven bound: the LP relaxation of the whole model (``solver.lp_bound``),
   part by part, in a thread beside the search (HiGHS releases the GIL), with the
   capacity bound (``solver.bounds``) under it;
3. a fast local search (``solver.local_search``) from the greedy roster while
   the LP runs, with one worker or when the LP is not expected in time (else
   the LP has both cores and the search waits for its roster);
4. the LP's roster rounded by the greedy and improved by the same local search
   (RINS-like: take what the LP is sure of); the better of 3 and 4 goes on;
5. window MIPs (``solver.window_mip``): every agent's shifts of a few dates (a
   part of the agents at a time when that is too large; later a part of the agents
   over a whole week) re-planned by HiGHS at once, two windows on two cores, when
   the limit has time for them and the LP is expected early (M-sized months at
   60 s, a 1,000-agent month at 300 s), then the local search again;
6. large-neighbourhood search (``solver.lns``) on the full objective until the
   time limit, less the last step's share;
7. a greedy fill (every shift that still fits and covers demand), then a polish
   (``solver.polish``): steadier weeks and more preferences granted at no cost in
   coverage.

With one worker every step is counted, not timed (and the LP is waited for), so
a fixed seed gives the same roster twice; the window MIPs, which stop on the
clock, are left out then.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import threading
import time
from collections.abc import Callable

from solver.bounds import capacity_bound
from solver.budget import Budget
from solver.evaluate import coverage_cost, objective_terms
from solver.greedy import greedy_roster
from solver.input import Progress, SolveLimits, SolverInput, SolverResult
from solver.lns import SECONDS_PER_NEIGHBOURHOOD, improve
from solver.local_search import local_search
from solver.lp_bound import (
    LpBound,
    LpStop,
    language_bounds,
    lp_bound,
    lp_guided_order,
    merge_parts,
)
from solver.polish import polish
from solver.rules.penalty import WEIGHT_BY_TERM
from solver.window_mip import improve_windows, window_mip_fits

ProgressCallback = Callable[[Progress], None]

LP_SHARE = 0.85
"""Most of the time limit the LP bound may take beside the search (M needs a few
seconds, L 35-40 s on two cores)."""
LP_HOPELESS = 4.0
"""The LP bound is not started when it is expected to take more than this many times
its share of the limit (``lp_seconds_expected``; a 2,500-agent month at 60 s: 474 s
against 37 s). Its one-day parts then gave 16,766-19,618 against the capacity bound's
16,766 (the month's LP: 55,761), and running beside the greedy they slowed it from
10 s to 27 s, leaving the search 2 s. The capacity bound stays the bound."""
LP_THREADS = 2
"""LP parts solved at once (two cores)."""
MERGE_SHARE = 0.3
"""The most of the limit the LP's longer parts may take once its roster is out (they
run beside the search, two at a time on its two cores): at 60 s M's and DST's
fortnights (5 s alone, 15 s beside the search; with 20% DST's did not finish) but not
the month (M: 17 s more alone, and its search lost 80); at 300 s the month."""
LP_WAIT_SHARE = 0.5
"""How long into the limit the search waits for the LP's roster when window MIPs
follow, or after a local search beside it when the LP is not expected to be done in
time (``LP_WAIT_FIT``); else as long as the LP may run."""
LP_WAIT_FIT = 0.75
"""With two workers the LP has both cores, and the search waits for its roster, when
it is expected to take at most this share of the limit (``lp_seconds_expected``)."""
LP_WINDOW_FIT = 0.25
"""Window MIPs follow when the LP is expected within this share of the limit: their
phase waits for the LP's roster until ``LP_WAIT_SHARE``, and a 1,000-agent month's LP
(34 s) would keep a 60 s solve from it (there the LP's roster and the local search
do more); at 300 s its windows take it from 16,909 to 16,106."""
LP_SECONDS_AT = (96_572 * 1_344, 34.0)
"""(shift options x intervals, seconds): a 1,000-agent month at 30 minutes, its LP
on two threads with nothing beside it (2026-12-07)."""
LP_SECONDS_GROWTH = 1.75
"""How the LP's time grows with that size: 160 agents (0.15 times the size) took
4 s, 2,500 at 15 minutes (4.5 times) did not finish in 459 s (over 13.5 times)."""
FIRST_LOCAL_SHARE = 0.3
"""The local search from the greedy roster while the LP runs (it stops as soon as
the LP is done): with one worker, or when the LP is not expected in time."""
GUIDED_LOCAL_SHARE = 0.35
"""The local search from the LP's rounded roster."""
WINDOW_GUIDED_LOCAL_SHARE = 0.12
"""The same when window MIPs follow (it has reached its plateau by then on M)."""
WINDOW_LNS_SHARE = 0.02
"""What the window MIPs leave to the CP-SAT neighbourhoods (floors on the spec example)."""
WINDOW_SETTLE_SHARE = 0.04
"""The local search after the window MIPs."""
LOCAL_STEPS_PER_SECOND = 1_000
"""With one worker the local search is stopped by steps, not seconds, to be
reproducible: roughly this many steps per second on the benchmarks."""
ONE_WORKER_MIN_SECONDS = 60.0
TICK_SECONDS = 1.0
"""Progress while the search waits for the LP (a 1,000-agent month's takes 35-40 s)."""
POLISH_SHARE = 0.05
"""The last share of the limit, for the polish (it stops earlier when nothing is left
to improve)."""
LAST_FILL_SHARE = 0.5
"""The last greedy fill's time kept, as a share of the first's: it starts from the
search's full roster (a 1,000-agent month: 1.5 s against 8.5-10.5 s, the first slowed
by the LP's parts being written beside it; 2,500 agents: 4.9 s against 11.8 s). What
it leaves goes to the polish."""
POLISH_STEPS_PER_SECOND = 200
"""With one worker the polish is stopped by steps (one agent's shift each)."""


def solve_roster(
    problem: SolverInput,
    limits: SolveLimits,
    on_progress: ProgressCallback | None = None,
    start: tuple[tuple[int, int], ...] = (),
) -> SolverResult:
    """``start``: a valid roster to begin from (the greedy only fills it up), so the
    result is never worse on (floor gaps, shortfall) than it."""
    budget = Budget(limits.time_limit_seconds)
    report = _reporter(on_progress, budget)
    limit = limits.time_limit_seconds
    one_worker = limits.workers == 1
    capacity = capacity_bound(problem)
    lp_expected = lp_seconds_expected(problem)
    # the LP first: HiGHS releases the GIL, so it works beside the greedy (a
    # 1,000-agent month's LP takes most of a 60 s solve, its greedy 4 s)
    lp = BackgroundBound(
        problem,
        budget.share(LP_SHARE),
        capacity,
        1 if one_worker else LP_THREADS,
        MERGE_SHARE * limit,
        start=lp_expected <= LP_HOPELESS * LP_SHARE * limit,
    )
    try:
        chosen = set(greedy_roster(problem, start=list(start)).chosen)
        greedy_seconds = budget.elapsed()
        # the last greedy fill (from a full roster: faster than the first), then the polish
        budget.reserved_seconds = LAST_FILL_SHARE * greedy_seconds + POLISH_SHARE * limit
        report(chosen, problem, lp.value, "greedy")

        def searching(phase: str, best: set[tuple[int, int]] | None = None):
            """A local search's ``tick``: its shortfall every second, or that of ``best``
            (the roster that stays if the search ends worse on floor gaps, shortfall)."""
            if on_progress is None:
                return None
            kept = (math.inf, math.inf)
            if best:
                terms = objective_terms(problem, sorted(best))
                kept = (terms["floor_gaps"], terms["shortfall"])

            def tick(floor_gaps: int, shortfall: int) -> None:
                report(set(), problem, lp.value, phase, min((floor_gaps, shortfall), kept)[1])

            return tick

        if not problem.previous:  # the local search does not count changes to a published roster
            # the windows start from the LP's roster, waited for until half the limit
            use_windows = (
                not one_worker
                and window_mip_fits(problem, limit)
                and lp_expected <= LP_WINDOW_FIT * limit
            )
            # with two cores the LP has both when it is expected to be done in time: its
            # roster is a better start than the greedy's, and a local search beside it
            # slows it down (a 1,000-agent month's LP then did not finish in a 60 s solve)
            waits = not one_worker and lp_expected <= LP_WAIT_FIT * limit
            if not (use_windows or waits):  # while the LP runs: improve the greedy roster
                chosen = _local(
                    problem,
                    chosen,
                    limits,
                    FIRST_LOCAL_SHARE * limit,
                    budget,
                    lp.done,
                    searching("local"),
                )
                report(chosen, problem, lp.value, "local")
            # then the LP's own roster, rounded and improved the same way; the better stays
            if one_worker:
                found = lp.lp(wait_until=math.inf)
            else:  # the planner sees the clock move while the LP works
                tick = None
                if on_progress is not None:
                    shortfall = objective_terms(problem, sorted(chosen))["shortfall"]

                    def tick() -> None:
                        report(chosen, problem, lp.value, "bound", shortfall)

                # as long as the LP may run, but window MIPs need the limit's second half
                until = budget.started + LP_WAIT_SHARE * limit
                if waits and not use_windows:
                    until = lp.deadline
                found = lp.lp(wait_until=until, tick=tick)
            guided_share = WINDOW_GUIDED_LOCAL_SHARE if use_windows else GUIDED_LOCAL_SHARE
            if found is not None and found.shift_values:
                order = lp_guided_order(problem, found)
                guided = set(greedy_roster(problem, start=order).chosen)
                guided = _local(
                    problem,
                    guided,
                    limits,
                    guided_share * limit,
                    budget,
                    tick=searching("lp start", chosen),
                )
                if coverage_cost(problem, guided) < coverage_cost(problem, chosen):
                    chosen = guided
                report(chosen, problem, lp.value, "lp start")
            else:  # no LP roster in time: the greedy's search goes on
                chosen = _local(
                    problem, chosen, limits, guided_share * limit, budget, tick=searching("local")
                )
                report(chosen, problem, lp.value, "local")
            if use_windows:  # windows of dates re-planned by a MIP, then the local search
                chosen = improve_windows(
                    problem,
                    chosen,
                    budget.search_deadline - (WINDOW_SETTLE_SHARE + WINDOW_LNS_SHARE) * limit,
                    lambda roster: report(roster, problem, lp.value, "windows"),
                )
                chosen = _local(
                    problem,
                    chosen,
                    limits,
                    WINDOW_SETTLE_SHARE * limit,
                    budget,
                    tick=searching("windows"),
                )
                report(chosen, problem, lp.value, "windows")

        rounds = None
        if one_worker:  # a fixed number of neighbourhoods, not a deadline
            searched = 0.0 if problem.previous else FIRST_LOCAL_SHARE + GUIDED_LOCAL_SHARE
            rounds = int(limit * (1 - searched) / SECONDS_PER_NEIGHBOURHOOD)
        # the neighbourhoods leave time for a last greedy fill (as long as the first took)
        # and the polish
        chosen = improve(
            problem,
            chosen,
            budget.search_deadline,
            limits,
            on_progress,
            lp,
            rounds,
            budget.started,
        )
        # every shift that still fits is taken: after this, an agent under his contract
        # hours while a language he speaks is short cannot work one more shift of his
        # without breaking a rule
        chosen = set(greedy_roster(problem, start=sorted(chosen)).chosen)
        chosen = _polish(problem, chosen, limits, budget, searching("improve"))
        found = lp.result(wait_until=budget.deadline)
        bound = max(lp.value, found.bound if found else 0)
        terms = objective_terms(problem, sorted(chosen))
        proven = terms["floor_gaps"] == 0 and terms["shortfall"] <= bound
        return SolverResult(
            status="optimal" if proven else "feasible",
            chosen=tuple(sorted(chosen)),
            shortfall=terms["shortfall"],
            floor_gaps=terms["floor_gaps"],
            shortfall_bound=min(bound, terms["shortfall"]),
            objective=float(sum(WEIGHT_BY_TERM[name] * value for name, value in terms.items())),
            objective_bound=0.0,
            solve_seconds=budget.elapsed(),
            penalties=terms,
            lp_value=found.lp_value if found else None,
            bound_by_language={
                problem.languages[lang]: value
                for lang, value in (found.by_language if found else {}).items()
            },
        )
    finally:
        # a cancel (``on_progress`` raising) or a failing phase must not leave the LP
        # working beside the next job; on a normal finish its result is taken already
        lp.stop()


def lp_seconds_expected(problem: SolverInput) -> float:
    """Roughly how long the LP bound takes on two threads with nothing beside it (the
    interior point's time grows faster than the LP: see ``LP_SECONDS_GROWTH``)."""
    size = sum(len(agent.options) for agent in problem.agents) * problem.interval_count
    reference_size, reference_seconds = LP_SECONDS_AT
    return reference_seconds * (size / reference_size) ** LP_SECONDS_GROWTH


def _local(
    problem: SolverInput,
    chosen: set[tuple[int, int]],
    limits: SolveLimits,
    seconds: float,
    budget: Budget,
    done: Callable[[], object] | None = None,
    tick: Callable[[int, int], None] | None = None,
) -> set[tuple[int, int]]:
    """The local search for ``seconds`` (never past the search's deadline: the last
    fill and the polish keep their time), or until ``done()``
    says the LP is ready; with one worker, a fixed number of steps instead.
    ``tick(floor_gaps, shortfall)`` every second meanwhile."""
    if limits.workers == 1:
        # the steps decide; the clock only stops a machine far slower than expected
        # (one worker is for reproducing a roster: it may overrun the limit a little)
        steps = int(seconds * LOCAL_STEPS_PER_SECOND)
        return local_search(problem, chosen, _far(seconds), limits.seed, steps, tick=tick)
    stop = min(time.monotonic() + seconds, budget.search_deadline)
    return local_search(problem, chosen, stop, limits.seed, None, done, tick)


def _polish(
    problem: SolverInput,
    chosen: set[tuple[int, int]],
    limits: SolveLimits,
    budget: Budget,
    tick: Callable[[int, int], None] | None = None,
) -> set[tuple[int, int]]:
    seconds = POLISH_SHARE * limits.time_limit_seconds
    if limits.workers == 1:
        steps = int(seconds * POLISH_STEPS_PER_SECOND)
        return polish(problem, chosen, _far(seconds), limits.seed, steps, tick)
    deadline = max(budget.deadline, time.monotonic() + seconds / 2)
    return polish(problem, chosen, deadline, limits.seed, tick=tick)


def _far(seconds: float) -> float:
    """With one worker the steps decide; this deadline only stops a machine far slower
    than expected (a shared CI machine at load 20 must not change the roster)."""
    return time.monotonic() + max(ONE_WORKER_MIN_SECONDS, 10 * seconds)


def _reporter(on_progress: ProgressCallback | None, budget: Budget):
    """Progress in agent-intervals (shortfall, bound) whatever the phase."""

    def report(
        chosen: set[tuple[int, int]],
        problem: SolverInput,
        bound: int,
        phase: str,
        shortfall: int | None = None,
    ):
        """``shortfall``: the roster's, when the caller knows it already."""
        if on_progress is None:
            return
        if shortfall is None:
            shortfall = objective_terms(problem, sorted(chosen))["shortfall"]
        on_progress(Progress(budget.elapsed(), float(shortfall), float(bound), shortfall, phase))

    return report


class BackgroundBound:
    """The LP bound computed in a thread while the search runs; ``value`` is the
    best proven bound known so far (capacity, then the LP's). After the LP (weeks, whose
    roster the search takes) the thread solves longer parts for a tighter bound
    (``merge_parts``), then bounds each language alone, while its time lasts, or until
    ``stop()``."""

    def __init__(
        self,
        problem: SolverInput,
        seconds: float,
        floor: int,
        threads: int = 1,
        merge_seconds: float = math.inf,
        start: bool = True,
    ) -> None:
        """``merge_seconds``: the most the longer parts (``merge_parts``) may take.
        ``start=False``: no LP at all (``floor`` stays the bound, no LP roster)."""
        self.value = floor
        self._merge_seconds = merge_seconds
        self.deadline = time.monotonic() + seconds
        """When the LP stops, done or not (the search waits for its roster until then:
        a 1,000-agent month's LP takes 35-40 s of a 60 s solve, and its roster is the
        better start by far)."""
        self._threads = threads
        self._found: LpBound | None = None
        self._lp_done = threading.Event()
        self._stop = LpStop()
        self._thread = threading.Thread(
            target=self._run, args=(problem, seconds), name="lp-bound", daemon=True
        )
        if start:
            self._thread.start()
        else:
            self._lp_done.set()

    def _run(self, problem: SolverInput, seconds: float) -> None:
        """A failing LP never fails the solve: the capacity bound stays, logged (a
        stopped one is no failure: at most a debug line)."""
        deadline = self.deadline
        try:
            found = lp_bound(problem, seconds, self._threads, self._stop)
            self.value = max(self.value, found.bound)
            self._found = found
        except Exception:
            self._failed("the LP bound failed; the capacity bound stays")
            return
        finally:
            self._lp_done.set()  # the search has the LP's roster from here
        try:  # then longer parts, whose seams lose less
            bound, lp_value = merge_parts(
                problem, found, deadline, self._threads, self._stop, self._merge_seconds
            )
            # a new result, not two fields changed: a reader sees both old or both new
            found = dataclasses.replace(found, bound=bound, lp_value=lp_value)
            self._found = found
            self.value = max(self.value, bound)
        except Exception:
            self._failed("the LP bound's longer parts failed; the weeks' bound stays")
        try:
            found.by_language = language_bounds(problem, deadline, self._stop)
        except Exception:
            self._failed("the per-language LP bounds failed")

    def _failed(self, message: str) -> None:
        logger = logging.getLogger(__name__)
        if self._stop.is_set():
            logger.debug("%s (stopped)", message, exc_info=True)
        else:
            logger.exception(message)

    def stop(self) -> None:
        """No more LP work, from any thread, without waiting: no part, re-solve or
        language starts any more and the HiGHS runs in progress are interrupted (at
        the interior point's next check), so the thread ends within a moment (a part
        being written first finishes that). The bound so far stays; ``lp()`` and
        ``result()`` return it as soon as the thread is done."""
        self._stop.set()

    def lp(self, wait_until: float, tick: Callable[[], None] | None = None) -> LpBound | None:
        """The whole LP's result, waiting for it until ``wait_until`` at most, and
        calling ``tick()`` every ``TICK_SECONDS`` while it waits."""
        while tick is not None and time.monotonic() < wait_until - TICK_SECONDS:
            if self._lp_done.wait(TICK_SECONDS):
                return self._found
            tick()
        timeout = None if wait_until == math.inf else max(0.0, wait_until - time.monotonic())
        self._lp_done.wait(timeout)
        return self._found

    def done(self) -> LpBound | None:
        return self._found if self._lp_done.is_set() else None

    def result(self, wait_until: float) -> LpBound | None:
        """Everything, the per-language bounds included, waiting until ``wait_until``."""
        if self._thread.is_alive():
            self._thread.join(max(0.0, wait_until - time.monotonic()))
        return self._found
