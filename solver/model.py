"""The CP-SAT roster model: ``RosterModel(problem).solve(limits) -> SolverResult``.

Two phases share one set of rules. The first minimises shortfall alone, which
gives a roster quickly and a proven lower bound on shortfall (the contract's
``bound``); the second starts from that roster and minimises the full weighted
objective (floor gaps, shortfall, idle contract time, fairness, stable starts).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from solver.input import Progress, SolveLimits, SolverInput, SolverResult
from solver.rules import HARD_RULES, SOFT_TERMS, Coverage
from solver.rules.penalty import Penalty
from solver.variables import RosterVariables

ProgressCallback = Callable[[Progress], None]

BOUND_PHASE_SHARE = 0.5
"""Share of the time limit spent on the shortfall-only phase."""

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
    def __init__(self, problem: SolverInput) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.variables = RosterVariables(self.model, problem)
        for rule in HARD_RULES:
            rule(self.model, self.variables, problem)
        self.coverage = Coverage(self.model, self.variables, problem)
        self.penalties: list[Penalty] = self.coverage.penalties()
        for term in SOFT_TERMS:
            self.penalties.extend(term(self.model, self.variables, problem))

    def weighted_objective(self) -> cp_model.LinearExprT:
        return sum(p.weight * p.expression for p in self.penalties)

    def solve(
        self, limits: SolveLimits, on_progress: ProgressCallback | None = None
    ) -> SolverResult:
        started = time.monotonic()
        shortfall = self.coverage.total_shortfall()

        self.model.minimize(shortfall)
        first = self._run(
            limits, limits.time_limit_seconds * BOUND_PHASE_SHARE, on_progress, "bound"
        )
        bound_status = first.status_name
        shortfall_bound = (
            int(round(first.best_objective_bound))
            if bound_status in ("optimal", "feasible")
            else None
        )
        if bound_status in ("optimal", "feasible"):
            self._hint(first)

        self.model.minimize(self.weighted_objective())
        remaining = max(1.0, limits.time_limit_seconds - (time.monotonic() - started))
        second = self._run(limits, remaining, on_progress, "roster")
        status = second.status_name
        best = second if status in ("optimal", "feasible") else first
        if best.status_name not in ("optimal", "feasible"):
            return SolverResult(
                status=best.status_name,
                chosen=(),
                shortfall=0,
                floor_gaps=0,
                shortfall_bound=shortfall_bound,
                objective=0.0,
                objective_bound=0.0,
                solve_seconds=time.monotonic() - started,
            )
        values = {p.name: int(best.solver.value(p.expression)) for p in self.penalties}
        return SolverResult(
            status=status if best is second else "feasible",
            chosen=self.variables.extract(best.solver),
            shortfall=values["shortfall"],
            floor_gaps=values["floor_gaps"],
            shortfall_bound=shortfall_bound,
            objective=best.solver.objective_value,
            objective_bound=best.solver.best_objective_bound,
            solve_seconds=time.monotonic() - started,
            penalties=values,
        )

    def _hint(self, run: _Run) -> None:
        """Hint every variable, not only the shifts, so the next phase starts from a
        complete feasible solution instead of having to repair a partial one."""
        self.model.clear_hints()
        values = run.solver.response_proto.solution
        for index, value in enumerate(values):
            self.model.add_hint(self.model.get_int_var_from_proto_index(index), value)

    def _run(
        self,
        limits: SolveLimits,
        seconds: float,
        on_progress: ProgressCallback | None,
        phase: str,
    ) -> _Run:
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.max_time_in_seconds = seconds
        params.random_seed = limits.seed
        if limits.workers:
            params.num_workers = limits.workers
        if limits.workers == 1:
            # one worker is reproducible only if the stop is measured in work, not seconds
            params.max_deterministic_time = seconds
            params.max_time_in_seconds = max(seconds * 20, 60)
        shortfall = self.coverage.total_shortfall()
        status = solver.solve(self.model, _Reporter(on_progress, shortfall, phase))
        return _Run(solver, STATUS_NAMES.get(status, "unknown"))


class _Run:
    def __init__(self, solver: cp_model.CpSolver, status_name: str) -> None:
        self.solver = solver
        self.status_name = status_name

    @property
    def best_objective_bound(self) -> float:
        return self.solver.best_objective_bound
