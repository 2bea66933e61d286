"""summary.json must agree with coverage.csv and state a clean result.

Each key the contract requires has its own small rule, so a planner sees which
number is off and by how much.
"""

from __future__ import annotations

from collections.abc import Callable

from scheduler.checker.coverage import CoverageFindings
from scheduler.checker.violation import Violation

SummaryRule = Callable[[dict, CoverageFindings], Violation | None]


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _found(rule: str, message: str) -> Violation:
    return Violation(rule, None, None, message)


def summary_status(summary: dict, findings: CoverageFindings) -> Violation | None:
    status = summary.get("status")
    if isinstance(status, str) and status.strip():
        return None
    return _found("summary_status", f"status is {status!r}, expected a word like 'optimal'")


def summary_shortfall(summary: dict, findings: CoverageFindings) -> Violation | None:
    stated = summary.get("shortfall")
    if _number(stated) and stated == findings.claimed_shortfall:
        return None
    return _found(
        "summary_shortfall",
        f"shortfall is {stated!r}, coverage.csv implies {findings.claimed_shortfall} "
        "(sum of max(0, required - staffed))",
    )


def summary_floor_gaps(summary: dict, findings: CoverageFindings) -> Violation | None:
    stated = summary.get("floor_gaps")
    if _number(stated) and stated == findings.claimed_floor_gaps:
        return None
    return _found(
        "summary_floor_gaps",
        f"floor_gaps is {stated!r}, coverage.csv implies {findings.claimed_floor_gaps} "
        "(rows of an always-on language staffed below min_agents)",
    )


def summary_bound(summary: dict, findings: CoverageFindings) -> Violation | None:
    """A proven lower bound can never exceed a shortfall these very shifts achieve."""
    if "bound" not in summary:
        return _found("summary_bound", "bound is missing, expected a number or null")
    bound = summary["bound"]
    if bound is None:
        return None
    if not _number(bound):
        return _found("summary_bound", f"bound is {bound!r}, expected a number or null")
    if bound > findings.best_shortfall:
        return _found(
            "summary_bound",
            f"bound {bound} claims no roster can do better, but these shifts allow "
            f"shortfall {findings.best_shortfall}",
        )
    return None


def summary_solve_seconds(summary: dict, findings: CoverageFindings) -> Violation | None:
    seconds = summary.get("solve_seconds")
    if _number(seconds) and seconds >= 0:
        return None
    return _found("summary_solve_seconds", f"solve_seconds is {seconds!r}, expected a number >= 0")


def summary_violations(summary: dict, findings: CoverageFindings) -> Violation | None:
    stated = summary.get("violations")
    if stated == []:
        return None
    return _found(
        "summary_violations", f"violations is {stated!r}, expected [] (a roster breaks no rule)"
    )


SUMMARY_RULES: tuple[SummaryRule, ...] = (
    summary_status,
    summary_shortfall,
    summary_floor_gaps,
    summary_bound,
    summary_solve_seconds,
    summary_violations,
)


def check_summary(summary: dict, findings: CoverageFindings) -> list[Violation]:
    return [v for rule in SUMMARY_RULES if (v := rule(summary, findings)) is not None]
