"""The search for a roster, phase by phase, on one clock (``solver.budget``).

1. a greedy roster (``solver.greedy``), valid by construction, in seconds;
2. the proven bound: the LP relaxation of the whole model (``solver.lp_bound``),
   part by part, in a thread beside the search (HiGHS releases the GIL), with the
   capacity bound (``solver.bounds``) under it;
3. on small models, CP-SAT on the whole model minimising shortfall alone from
   the greedy roster: a better start, and CP-SAT's own bound as one more floor;
4. a fast local search (``solver.local_search``);
5. large-neighbourhood search (``solver.lns``) on the full objective until the
   time limit.

The search never reads the LP's solution, only its bound is reported, so one
worker and a fixed seed still give the same roster twice.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from solver.bounds import capacity_bound
from solver.budget import Budget
from solver.evaluate import objective_terms
from solver.greedy import greedy_roster
from solver.input import Progress, SolveLimits, SolverInput, SolverResult
from solver.lns import SECONDS_PER_NEIGHBOURHOOD, improve
from solver.local_search import local_search
from solver.lp_bound import LpBound, lp_bound, lp_guided_order
from solver.roster_model import RosterModel
from solver.rules.penalty import WEIGHT_BY_TERM

ProgressCallback = Callable[[Progress], None]

LP_SHARE = 0.85
"""Most of the time limit the LP bound may take beside the search (M needs a few
seconds, L about a minute)."""
WHOLE_MODEL_SHARE = 0.25
"""Share of the time limit for CP-SAT on the whole model, when it is small."""
WHOLE_MODEL_MAX_VARIABLES = 40_000
"""Above this many (agent, option) variables the whole model is too slow to build
and search on two cores; the roster then comes from greedy + local search + LNS."""
LOCAL_SEARCH_SHARE = 0.9
"""Share of the time after the bound phases given to the local search; the
neighbourhood search gets the rest."""
LOCAL_STEPS_PER_SECOND = 1_000
"""With one worker the local search is stopped by steps, not seconds, to be
reproducible: roughly this many steps per second on the benchmarks."""


def solve_roster(
    problem: SolverInput, limits: SolveLimits, on_progress: ProgressCallback | None = None
) -> SolverResult:
    budget = Budget(limits.time_limit_seconds)
    report = _reporter(on_progress, budget)
    greedy = greedy_roster(problem)
    chosen = set(greedy.chosen)
    bound = capacity_bound(problem)
    report(chosen, problem, bound, "greedy")

    lp = BackgroundBound(problem, budget.share(LP_SHARE), bound)

    variables = sum(len(agent.options) for agent in problem.agents)
    whole_share = WHOLE_MODEL_SHARE if variables <= WHOLE_MODEL_MAX_VARIABLES else 0.0
    # one worker is reproducible: its later phases get planned shares of the limit
    # (steps and CP-SAT's deterministic time), never what the clock left over
    planned_search = limits.time_limit_seconds * (1 - whole_share)
    if whole_share:
        seconds = budget.share(WHOLE_MODEL_SHARE)
        whole = RosterModel(problem).minimise_shortfall(
            greedy,
            SolveLimits(seconds, limits.seed, limits.workers),
            on_progress,
            known_bound=lp.value,
            elapsed_before=budget.elapsed(),
        )
        if whole is not None:
            best_for_shortfall, model_bound = whole
            lp.raise_floor(model_bound)
            if not problem.previous:  # a re-solve starts from the published roster
                chosen = best_for_shortfall

    if not problem.previous:
        chosen = _lp_guided_start(problem, chosen, lp, wait=limits.workers == 1)
        report(chosen, problem, lp.value, "lp start")

    if not problem.previous:  # the local search does not count changes to a published roster
        seconds = LOCAL_SEARCH_SHARE * (planned_search if limits.workers == 1 else budget.left())
        steps = None
        stop = time.monotonic() + seconds
        if limits.workers == 1:
            steps = int(seconds * LOCAL_STEPS_PER_SECOND)
            # the steps decide; the clock only stops a machine far slower than expected
            # (one worker is for reproducing a roster: it may overrun the limit a little)
            stop = time.monotonic() + 3 * seconds
        chosen = local_search(problem, chosen, stop, limits.seed, steps)
        report(chosen, problem, lp.value, "local")

    rounds = None
    if limits.workers == 1:  # a fixed number of neighbourhoods, not a deadline
        lns_share = 1 - LOCAL_SEARCH_SHARE if not problem.previous else 1.0
        rounds = int(planned_search * lns_share / SECONDS_PER_NEIGHBOURHOOD)
    chosen = improve(
        problem, chosen, budget.deadline, limits, on_progress, lp, rounds, budget.started
    )
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
    )


class BackgroundBound:
    """The LP bound computed in a thread while the search runs; ``value`` is the
    best proven bound known so far (capacity, CP-SAT's, then the LP's)."""

    def __init__(self, problem: SolverInput, seconds: float, floor: int) -> None:
        self.value = floor
        self._found: LpBound | None = None
        self._thread = threading.Thread(
            target=self._run, args=(problem, seconds), name="lp-bound", daemon=True
        )
        self._thread.start()

    def _run(self, problem: SolverInput, seconds: float) -> None:
        self._found = lp_bound(problem, seconds)
        self.value = max(self.value, self._found.bound)

    def raise_floor(self, bound: int) -> None:
        self.value = max(self.value, bound)

    def result(self, wait_until: float) -> LpBound | None:
        self._thread.join(
            None if wait_until == math.inf else max(0.0, wait_until - time.monotonic())
        )
        return self._found

    def done(self) -> LpBound | None:
        return None if self._thread.is_alive() else self._found


def _cost(problem: SolverInput, chosen) -> tuple[int, int, int]:
    terms = objective_terms(problem, sorted(chosen))
    return terms["floor_gaps"], terms["shortfall"], terms["unscheduled_minutes"]


def _lp_guided_start(
    problem: SolverInput, chosen: set[tuple[int, int]], lp: BackgroundBound, wait: bool
) -> set[tuple[int, int]]:
    """The LP's roster, rounded by the greedy (RINS-like: take what the LP is sure
    of, fill the rest), when it beats the current one. One worker waits for the
    LP so the result does not depend on the clock."""
    found = lp.result(wait_until=math.inf) if wait else lp.done()
    if found is None or not found.shift_values:
        return chosen
    guided = set(greedy_roster(problem, start=lp_guided_order(problem, found)).chosen)
    return guided if _cost(problem, guided) < _cost(problem, chosen) else chosen


def _reporter(on_progress: ProgressCallback | None, budget: Budget):
    """Progress in agent-intervals (shortfall, bound) whatever the phase."""

    def report(chosen: set[tuple[int, int]], problem: SolverInput, bound: int, phase: str):
        if on_progress is None:
            return
        shortfall = objective_terms(problem, sorted(chosen))["shortfall"]
        on_progress(Progress(budget.elapsed(), float(shortfall), float(bound), shortfall, phase))

    return report
