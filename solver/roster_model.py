"""The CP-SAT model of the whole roster problem (or of a neighbourhood of it).

Every hard rule of ``solver.rules`` is added as a constraint, every soft term as
a named penalty; ``solve_once`` runs CP-SAT on it from a complete hint.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.greedy import GreedyRoster, allocated_roster
from solver.input import SolveLimits, SolverInput
from solver.rules import HARD_RULES, SOFT_TERMS, Coverage
from solver.rules.penalty import Penalty
from solver.variables import RosterVariables

STATUS_NAMES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "model_invalid",
    cp_model.UNKNOWN: "unknown",
}


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

    def solve_once(
        self, start: set[tuple[int, int]], limits: SolveLimits
    ) -> set[tuple[int, int]] | None:
        """Minimise the weighted objective from ``start``; None if nothing was found."""
        self.hint_greedy(allocated_roster(self.problem, sorted(start)))
        self.model.minimize(self.weighted_objective())
        run = self._run(limits, None)
        if run.status_name not in ("optimal", "feasible"):
            return None
        return set(self.variables.extract(run.solver))

    def _run(self, limits: SolveLimits, reporter=None) -> _Run:
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
        status = solver.solve(self.model, reporter)
        return _Run(solver, STATUS_NAMES.get(status, "unknown"))


class _Run:
    def __init__(self, solver: cp_model.CpSolver, status_name: str) -> None:
        self.solver = solver
        self.status_name = status_name
