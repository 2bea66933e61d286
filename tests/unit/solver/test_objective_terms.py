"""Every penalty CP-SAT reports equals the direct evaluation of the same roster
(``solver.evaluate``), term by term: one objective, two ways to compute it."""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from solver.evaluate import objective_terms
from solver.roster_model import RosterModel
from tests.unit.solver.test_search import two_sites_week


def test_cp_sat_terms_equal_the_evaluation_of_its_roster():
    p = two_sites_week()
    # unsocial kinds on some options so the fairness term is not trivially zero
    flagged = tuple(
        replace(o, is_night=o.start_local_minute_of_day >= 22 * 60, is_weekend=o.day >= 5)
        for o in p.options
    )
    p = replace(p, options=flagged, previous=frozenset({(0, 1), (1, 4)}))
    found = RosterModel(p)
    found.model.minimize(found.weighted_objective())
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5
    solver.parameters.num_workers = 2
    assert solver.solve(found.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    chosen = sorted(found.variables.extract(solver))
    # the same roster, shifts fixed: CP-SAT's terms at their least for it
    model = RosterModel(p, fixed=set(chosen))
    for key, var in model.variables.assigned.items():
        if key not in chosen:
            model.model.add(var == 0)
    model.model.minimize(model.weighted_objective())
    assert solver.solve(model.model) == cp_model.OPTIMAL
    evaluated = objective_terms(p, chosen)
    reported: dict[str, int] = {}
    for penalty in model.penalties:
        value = int(solver.value(penalty.expression))
        reported[penalty.name] = reported.get(penalty.name, 0) + value
    assert reported == evaluated
    assert evaluated["unfair_unsocial_shifts"] >= 0 and evaluated["roster_changes"] > 0
