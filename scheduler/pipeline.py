"""The planning pipeline: scenario -> requirements -> solver -> roster -> checker.

A roster leaves this module only after the independent checker passed it: a
violation here is a bug in the solver, so it fails loudly instead of writing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from scheduler.allocation import coverage_rows, floor_gaps_of, shortfall_of
from scheduler.checker import check_roster
from scheduler.domain import Assignment, Roster, Scenario
from scheduler.gaps import Gap, GapExplainer, gap_summary, write_gaps_csv
from scheduler.patterns import pattern_summary
from scheduler.preferences import preference_summary
from scheduler.requirements import compute_requirements
from scheduler.roster_io import write_roster_folder
from scheduler.solver_input import build_problem
from solver.input import Progress, SolveLimits, SolverInput
from solver.model import solve_roster


@dataclass(frozen=True)
class SolveOptions:
    time_limit_seconds: float = 60.0
    seed: int = 0
    workers: int = 0


class RosterRejected(RuntimeError):
    """The checker found a hard-rule violation in a roster the solver produced."""


@dataclass(frozen=True)
class SolvedRoster:
    roster: Roster
    gaps: list[Gap]


class LockedShiftUnavailable(ValueError):
    """A locked shift the scenario no longer allows (e.g. time off recorded on it)."""

    def __init__(self, refused: list[Assignment]) -> None:
        self.refused = refused
        listed = ", ".join(f"{a.agent_id} {a.date} {a.shift_id}" for a in refused)
        super().__init__(f"locked shifts no longer allowed: {listed}; unlock them first")


def solve_scenario(
    scenario: Scenario,
    options: SolveOptions = SolveOptions(),
    on_progress: Callable[[Progress], None] | None = None,
    locked: Iterable[Assignment] = (),
    previous: Iterable[Assignment] = (),
    start: Iterable[Assignment] = (),
) -> SolvedRoster:
    """Solve and check; returns the roster with its contract summary and its gaps.

    ``locked`` shifts stay as they are; with ``previous`` (a published roster) the
    solve changes as few of its shifts as it can, and the summary counts them;
    ``start`` is a roster to begin from (its shifts the scenario still allows).
    """
    started = time.monotonic()
    requirements = compute_requirements(scenario)
    translated = build_problem(scenario, requirements)
    locked_keys, refused = translated.keys(locked)
    if refused:
        raise LockedShiftUnavailable(refused)
    previous = tuple(previous)
    previous_keys, _ = translated.keys(previous)
    translated = replace(
        translated,
        problem=replace(translated.problem, locked=locked_keys, previous=previous_keys),
    )
    start_keys, _ = translated.keys(start)
    limits = SolveLimits(
        _solver_seconds(options, started, translated.problem), options.seed, options.workers
    )
    result = solve_roster(translated.problem, limits, on_progress, tuple(sorted(start_keys)))
    assignments = translated.assignments(result.chosen)
    coverage = coverage_rows(scenario, requirements, assignments)
    shortfall = shortfall_of(coverage)
    summary = {
        "status": result.status,
        "shortfall": shortfall,
        "floor_gaps": floor_gaps_of(scenario, coverage),
        "bound": _bound(result.shortfall_bound, shortfall),
        "lp_value": None if result.lp_value is None else round(result.lp_value, 2),
        "bound_by_language": result.bound_by_language,
        "solve_seconds": round(time.monotonic() - started, 2),
        "violations": [],
        "required_total": sum(row.required for row in coverage),
        "staffed_total": sum(row.staffed for row in coverage),
        "shifts": len(assignments),
        "objective_terms": result.penalties,
        "seed": options.seed,
    }
    summary["start_times"] = pattern_summary(scenario.horizon, assignments)
    if scenario.preferences:
        summary["preferences"] = preference_summary(scenario, assignments)
    gaps = GapExplainer(scenario, translated, coverage, assignments).gaps()
    summary["gaps"] = gap_summary(gaps, bound_by_language=result.bound_by_language)
    if previous:
        summary["changes"] = _changes(previous, assignments)
    roster = Roster(assignments=assignments, coverage=coverage, summary=summary)
    violations = check_roster(scenario, roster, requirements)
    if violations:
        listed = "\n".join(str(v) for v in violations[:50])
        raise RosterRejected(f"the solver produced {len(violations)} violation(s):\n{listed}")
    return SolvedRoster(roster, gaps)


POST_SECONDS = 1.0
POST_SECONDS_PER_AGENT_INTERVAL = 4e-6
"""Time kept after the search for allocation, checking and gap analysis, so the whole
solve keeps to the limit a planner asked for: measured 0.6 s for 160 agents at
30-minute intervals over 28 days (215,000 agent-intervals), 4.3 s for 1,000 agents
(1.3 million), 18.8 s for 2,500 agents at 15 minutes (6.7 million, the greedy's
roster, whose many gaps take longest to explain; 2026-12-07). This keeps about 1.5
times that. At 6e-6 (about twice, when the 2,500 agents' post-processing took 35 s)
it kept 41 s of a 60 s solve of 2,500 agents, leaving the solver 18 s where its
greedy alone takes 13. A share of the limit (7%, long ago) left 3.6 s of a 60 s
solve of 160 agents unused. The fixed part was 0.5 s until a slower machine
(2026-12-06 evening) ended 60 s solves of 160 agents at 60.0-60.5 s."""


def _solver_seconds(options: SolveOptions, started: float, problem: SolverInput) -> float:
    reserve = POST_SECONDS + POST_SECONDS_PER_AGENT_INTERVAL * len(problem.agents) * (
        problem.interval_count
    )
    budget = options.time_limit_seconds - reserve
    if options.workers != 1:  # one worker must not depend on the clock, to be reproducible
        budget -= time.monotonic() - started
    return max(1.0, budget)


def _changes(previous: tuple[Assignment, ...], now: tuple[Assignment, ...]) -> dict[str, int]:
    """How a re-solved roster differs from the one it started from, in shifts."""
    before = {(a.agent_id, a.date, a.shift_id) for a in previous}
    after = {(a.agent_id, a.date, a.shift_id) for a in now}
    return {
        "kept": len(before & after),
        "removed": len(before - after),
        "added": len(after - before),
    }


def _bound(solver_bound: int | None, shortfall: int) -> int | None:
    """The proven bound, never above what the roster achieved (the final allocation
    may only improve on the solver's own)."""
    if solver_bound is None:
        return None
    return min(solver_bound, shortfall)


def solve_to_folder(
    scenario: Scenario, out: Path, options: SolveOptions, show_progress: bool = False
) -> dict:
    """Solve, check and write roster.csv, coverage.csv and summary.json into ``out``."""
    reporter = _print_progress if show_progress else None
    solved = solve_scenario(scenario, options, reporter)
    if show_progress:
        sys.stderr.write("\n")
    write_roster_folder(out, solved.roster)
    write_gaps_csv(out / "gaps.csv", solved.gaps)
    return solved.roster.summary


def _print_progress(progress: Progress) -> None:
    sys.stderr.write(
        f"\r[{progress.phase:>7}] {progress.elapsed_seconds:6.1f} s  "
        f"shortfall {progress.shortfall} (bound {progress.bound:,.0f})  "
        f"objective {progress.objective:,.0f}   "
    )
    sys.stderr.flush()
