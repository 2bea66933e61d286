"""The decision variables: one boolean per (agent, shift option) he may work.

Rules and objective terms reach variables only through this class, so the
indexing lives in one place (``is_assigned``, ``worked_on``, ``fix``, ``extract``).
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.input import SolverInput


class RosterVariables:
    def __init__(self, model: cp_model.CpModel, problem: SolverInput) -> None:
        self.problem = problem
        self.assigned: dict[tuple[int, int], cp_model.IntVar] = {}
        self.by_agent_day: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = defaultdict(
            list
        )
        for a, agent in enumerate(problem.agents):
            for o in agent.options:
                var = model.new_bool_var(f"works(agent={a},option={o})")
                self.assigned[a, o] = var
                self.by_agent_day[a, problem.options[o].day].append((o, var))

    def is_assigned(self, agent: int, option: int) -> cp_model.IntVar:
        return self.assigned[agent, option]

    def options_on(self, agent: int, day: int) -> list[tuple[int, cp_model.IntVar]]:
        """(option index, variable) pairs of the agent's options on a local date."""
        return self.by_agent_day.get((agent, day), [])

    def worked_on(self, agent: int, day: int) -> cp_model.LinearExpr:
        """1 when the agent has a shift starting on that local date (0/1 by one-per-day)."""
        return sum(var for _, var in self.options_on(agent, day))

    def minutes_in(self, agent: int, days: tuple[int, ...]) -> cp_model.LinearExpr:
        options = self.problem.options
        return sum(
            options[o].minutes * var for day in days for o, var in self.options_on(agent, day)
        )

    def extract(self, solver: cp_model.CpSolver) -> tuple[tuple[int, int], ...]:
        return tuple(sorted(key for key, var in self.assigned.items() if solver.boolean_value(var)))
