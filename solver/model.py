"""The CP-SAT roster model and the search around it.

``solve_roster(problem, limits)`` runs three steps that share one set of rules:

1. a greedy roster (``solver.greedy``), valid by construction, in seconds;
2. when the whole model is small enough, CP-SAT on it minimising shortfall
   alone, hinted with the greedy roster: a better roster and a proven lower
   bound on shortfall over every roster that keeps the hard rules;
3. large-neighbourhood search (``solver.lns``) on the full weighted objective
   until the time limit.

The bound is the larger of step 2's and the capacity bound (``solver.bounds``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from solver.bounds import capacity_bound
from solver.evaluate import objective_terms
from solver.greedy import GreedyRoster, allocated_roster, greedy_roster
from solver.input import Progress, SolveLimits, SolverInput, SolverResult
from solver.lns import SECONDS_PER_NEIGHBOURHOOD, improve
from solver.local_search import local_search
from solver.rules import HARD_RULES, SOFT_TERMS, Coverage
from solver.rules.penalty import WEIGHT_BY_TERM, Penalty
from solver.variables import RosterVariables

ProgressCallback = Callable[[Progress], None]

BOUND_PHASE_SHARE = 0.25
"""Share of the time limit spent on the whole-model, shortfall-only phase."""

LOCAL_SEARCH_SHARE = 0.9
"""Share of the time after the bound phase given to the local search
(``solver.local_search``); the neighbourhood search gets the rest."""

LOCAL_STEPS_PER_SECOND = 1_000
"""With one worker the local search is stopped by steps, not seconds, to be
reproducible: roughly this many steps per second on the benchmarks."""

FULL_MODEL_MAX_VARIABLES = 40_000
"""Above this many (agent, option) variables the whole model is too slow to build
and search on two cores; the roster then comes from greedy + LNS alone."""

STATUS_NAMES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "model_invalid",
    cp_model.UNKNOWN: "unknown",
}


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Forwards each improving solution to the caller's progress callback."""

    def __init__(
        self, on_progress: ProgressCallback | None, shortfall: cp_model.LinearExprT, phase: str
    ) -> None:
        super().__init__()
        self.on_progress = on_progress
        self.shortfall = shortfall
        self.phase = phase

    def on_solution_callback(self) -> None:
        if self.on_progress is None:
            return
        self.on_progress(
            Progress(
                elapsed_seconds=self.wall_time,
                objective=self.objective_value,
                bound=self.best_objective_bound,
                shortfall=int(self.value(self.shortfall)),
                phase=self.phase,
            )
        )


class RosterModel:
    def __init__(self, problem: SolverInput, fixed: set[tuple[int, int]] | None = None) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.variables = RosterVariables(self.model, problem)
        for key in (fixed or set()) | problem.locked:
            self.model.add(self.variables.is_assigned(*key) == 1)
        for rule in HARD_RULES:
            rule(self.model, self.variables, problem)
        self.coverage = Coverage(self.model, self.variables, problem)
        self.penalties: list[Penalty] = self.coverage.penalties()
        for term in SOFT_TERMS:
            self.penalties.extend(term(self.model, self.variables, problem))

    def hint_greedy(self, greedy: GreedyRoster) -> None:
        """Start the search from a roster: its shifts, its allocation of
        multilingual agents, and the shortfall and floor gaps they leave."""
        problem = self.problem
        self.model.clear_hints()
        chosen = set(greedy.chosen)
        for key, var in self.variables.assigned.items():
            self.model.add_hint(var, key in chosen)
        for key, var in self.coverage.allocated.items():
            self.model.add_hint(var, greedy.shares.get(key, 0))
        for (lang, t), var in self.coverage.shortfall.items():
            self.model.add_hint(var, max(0, problem.required[lang][t] - greedy.staffed[lang][t]))
        for (lang, t), var in self.coverage.floor_gap.items():
            self.model.add_hint(var, greedy.staffed[lang][t] < problem.floor[lang])

    def weighted_objective(self) -> cp_model.LinearExprT:
        return sum(p.weight * p.expression for p in self.penalties)

    def minimise_shortfall(
        self, start: GreedyRoster, limits: SolveLimits, on_progress: ProgressCallback | None
    ) -> tuple[set[tuple[int, int]], int] | None:
        """The best roster found for shortfall alone and the proven lower bound."""
        self.hint_greedy(start)
        self.model.minimize(self.coverage.total_shortfall())
        run = self._run(limits, on_progress, "bound")
        if run.status_name not in ("optimal", "feasible"):
            return None
        bound = math.ceil(run.solver.best_objective_bound - 1e-6)
        return set(self.variables.extract(run.solver)), bound

    def solve_once(
        self, start: set[tuple[int, int]], limits: SolveLimits
    ) -> set[tuple[int, int]] | None:
        """Minimise the weighted objective from ``start``; None if nothing was found."""
        self.hint_greedy(allocated_roster(self.problem, sorted(start)))
        self.model.minimize(self.weighted_objective())
        run = self._run(limits, None, "improve")
        if run.status_name not in ("optimal", "feasible"):
            return None
        return set(self.variables.extract(run.solver))

    def _run(self, limits: SolveLimits, on_progress: ProgressCallback | None, phase: str) -> _Run:
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.max_time_in_seconds = limits.time_limit_seconds
        params.random_seed = limits.seed
        if limits.workers:
            params.num_workers = limits.workers
        if limits.workers == 1:
            # one worker is reproducible only if the stop is measured in work, not seconds
            params.max_deterministic_time = limits.time_limit_seconds
            params.max_time_in_seconds = max(limits.time_limit_seconds * 20, 60)
        shortfall = self.coverage.total_shortfall()
        status = solver.solve(self.model, _Reporter(on_progress, shortfall, phase))
        return _Run(solver, STATUS_NAMES.get(status, "unknown"))


class _Run:
    def __init__(self, solver: cp_model.CpSolver, status_name: str) -> None:
        self.solver = solver
        self.status_name = status_name


def solve_roster(
    problem: SolverInput, limits: SolveLimits, on_progress: ProgressCallback | None = None
) -> SolverResult:
    started = time.monotonic()
    deadline = started + limits.time_limit_seconds
    greedy = greedy_roster(problem)
    chosen = set(greedy.chosen)
    bound = capacity_bound(problem)
    if on_progress is not None:
        shortfall = sum(
            max(0, need - greedy.staffed[lang][t])
            for lang, row in enumerate(problem.required)
            for t, need in enumerate(row)
        )
        elapsed = time.monotonic() - started
        on_progress(Progress(elapsed, float(shortfall), float(bound), shortfall, "greedy"))
    variables = sum(len(agent.options) for agent in problem.agents)
    if variables <= FULL_MODEL_MAX_VARIABLES:
        share = replace(limits, time_limit_seconds=limits.time_limit_seconds * BOUND_PHASE_SHARE)
        found = RosterModel(problem).minimise_shortfall(greedy, share, on_progress)
        if found is not None:
            best_for_shortfall, model_bound = found
            bound = max(bound, model_bound)
            if not problem.previous:  # a re-solve starts from the published roster
                chosen = best_for_shortfall
    search_share = 1 - (BOUND_PHASE_SHARE if variables <= FULL_MODEL_MAX_VARIABLES else 0)
    local_share = search_share * LOCAL_SEARCH_SHARE
    if not problem.previous:  # the local search does not count changes to a published roster
        seconds = limits.time_limit_seconds * local_share
        steps = None
        if limits.workers == 1:
            steps = int(seconds * LOCAL_STEPS_PER_SECOND)
            # the steps decide; the clock only stops a machine far slower than expected,
            # never past the deadline
            stop = min(time.monotonic() + 1.5 * seconds, deadline)
        else:
            remaining = deadline - time.monotonic()
            stop = time.monotonic() + min(seconds, remaining * LOCAL_SEARCH_SHARE)
        chosen = local_search(problem, chosen, stop, limits.seed, steps)
        search_share -= local_share
        if on_progress is not None:
            shortfall = objective_terms(problem, sorted(chosen))["shortfall"]
            elapsed = time.monotonic() - started
            on_progress(Progress(elapsed, float(shortfall), float(bound), shortfall, "local"))
    # one worker is reproducible: a fixed number of neighbourhoods, each stopped by
    # CP-SAT's deterministic time, instead of a wall-clock deadline
    rounds = None
    if limits.workers == 1:
        rounds = int(limits.time_limit_seconds * search_share / SECONDS_PER_NEIGHBOURHOOD)
    chosen = improve(problem, chosen, deadline, limits, on_progress, bound, rounds, started)
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
        solve_seconds=time.monotonic() - started,
        penalties=terms,
    )
