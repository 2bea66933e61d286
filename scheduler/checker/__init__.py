"""An independent checker of rosters: every hard rule and every coverage claim.

Written apart from the solver (it never imports ``solver`` or the pipeline) so
that a bug in one is caught by the other. ``check_roster`` gives the violations;
``review_roster`` adds informational notes (best achievable shortfall of the
roster's shifts) for ``sunshift check`` to print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scheduler.checker.context import CheckContext
from scheduler.checker.coverage import CoverageFindings, check_coverage
from scheduler.checker.rules import AGENT_RULES, ROW_RULES, check_rules
from scheduler.checker.summary import SUMMARY_RULES, check_summary
from scheduler.checker.violation import Violation
from scheduler.domain import Roster, Scenario
from scheduler.imports.errors import InputError
from scheduler.requirements import RequirementTable, compute_requirements
from scheduler.roster_io import read_roster_folder

COVERAGE_RULES = ("coverage_rows", "coverage_required", "coverage_staffed")
RULES: tuple[str, ...] = (
    "unknown_agent",
    *(rule.__name__ for rule in ROW_RULES),
    *(rule.__name__ for rule in AGENT_RULES),
    *COVERAGE_RULES,
    *(rule.__name__ for rule in SUMMARY_RULES),
)
"""Every rule name a Violation can carry."""

__all__ = [
    "RULES",
    "CheckReport",
    "Violation",
    "check_roster",
    "check_roster_folder",
    "review_roster",
    "review_roster_folder",
]


@dataclass(frozen=True)
class CheckReport:
    """Violations (the roster must not be published) and notes (for information)."""

    violations: tuple[Violation, ...]
    coverage: CoverageFindings

    @property
    def notes(self) -> list[str]:
        """What a planner should know even when every rule holds."""
        found = self.coverage
        line = (
            f"coverage: shortfall {found.claimed_shortfall} agent-intervals, "
            f"{found.claimed_floor_gaps} floor gap(s); the best allocation of these shifts "
            f"reaches shortfall {found.best_shortfall}"
        )
        if found.claimed_shortfall > found.best_shortfall:
            lost = found.claimed_shortfall - found.best_shortfall
            line += f" (coverage.csv allocates agents sub-optimally: {lost} more than needed)"
        return [line]


def review_roster(
    scenario: Scenario, roster: Roster, required: RequirementTable | None = None
) -> CheckReport:
    """Check every rule and claim; ``required`` defaults to the scenario's own requirement."""
    table = required if required is not None else compute_requirements(scenario)
    ctx = CheckContext(scenario, roster)
    coverage = check_coverage(ctx, table)
    violations = [
        *check_rules(ctx),
        *coverage.violations,
        *check_summary(roster.summary, coverage),
    ]
    return CheckReport(tuple(sorted(violations, key=Violation.sort_key)), coverage)


def check_roster(
    scenario: Scenario, roster: Roster, required: RequirementTable | None = None
) -> list[Violation]:
    """Every hard-rule violation and false coverage claim of a roster; empty when it is sound."""
    return list(review_roster(scenario, roster, required).violations)


def review_roster_folder(
    scenario: Scenario, folder: Path
) -> tuple[CheckReport | None, list[InputError]]:
    """Read a roster folder and review it; None and every read error if it is unreadable."""
    roster, errors = read_roster_folder(folder)
    if roster is None:
        return None, errors
    return review_roster(scenario, roster), []


def check_roster_folder(
    scenario: Scenario, folder: Path
) -> tuple[list[Violation], list[InputError]]:
    """What ``sunshift check`` runs: violations, or the errors that made the folder unreadable."""
    report, errors = review_roster_folder(scenario, folder)
    if report is None:
        return [], errors
    return list(report.violations), []
