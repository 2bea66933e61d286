"""Coverage, gaps and summary of a hand-edited roster, as a solve would have written them.

An edited roster must pass the same checker as a solved one, and the checker
compares the summary's claims with the coverage: so every edit recomputes the
coverage (the same min-cost allocation), the gaps and the summary figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scheduler.allocation import coverage_rows, floor_gaps_of, shortfall_of
from scheduler.domain import Assignment, Roster, Scenario
from scheduler.gaps import GapExplainer, gap_summary
from scheduler.pipeline import SolvedRoster
from scheduler.requirements import compute_requirements
from scheduler.solver_input import build_problem
from solver.evaluate import objective_terms

EDITED_STATUS = "feasible"
"""An edited roster keeps every rule but is no longer a proven optimum."""


def rebuild_roster(
    scenario: Scenario,
    assignments: Iterable[Assignment],
    summary: dict,
    previous: Sequence[Assignment] | None = None,
) -> SolvedRoster:
    """The roster of ``assignments`` with fresh coverage, gaps and summary figures.

    Keys of ``summary`` this cannot recompute (seed, solve time) are kept; with
    ``previous`` (the published roster it was copied from) ``changes`` counts
    shifts kept, removed and added.
    """
    ordered = tuple(sorted(assignments, key=lambda a: (a.agent_id, a.start_utc, a.shift_id)))
    requirements = compute_requirements(scenario)
    translated = build_problem(scenario, requirements)
    coverage = coverage_rows(scenario, requirements, ordered)
    shortfall = shortfall_of(coverage)
    keys, _refused = translated.keys(ordered)
    gaps = GapExplainer(scenario, translated, coverage, ordered).gaps()
    bound = summary.get("bound")
    fresh = dict(summary)
    fresh |= {
        "status": EDITED_STATUS,
        "shortfall": shortfall,
        "floor_gaps": floor_gaps_of(scenario, coverage),
        "bound": None if bound is None else min(bound, shortfall),
        "violations": [],
        "required_total": sum(row.required for row in coverage),
        "staffed_total": sum(row.staffed for row in coverage),
        "shifts": len(ordered),
        "objective_terms": objective_terms(translated.problem, sorted(keys)),
        "gaps": gap_summary(gaps, bound_by_language=summary.get("bound_by_language")),
        "edited": True,
    }
    if previous is not None:
        before = {(a.agent_id, a.date, a.shift_id) for a in previous}
        after = {(a.agent_id, a.date, a.shift_id) for a in ordered}
        fresh["changes"] = {
            "kept": len(before & after),
            "removed": len(before - after),
            "added": len(after - before),
        }
    return SolvedRoster(Roster(assignments=ordered, coverage=coverage, summary=fresh), gaps)
