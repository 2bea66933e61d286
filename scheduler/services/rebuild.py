"""Coverage, gaps and summary of a hand-edited roster, as a solve would have written them.

An edited roster must pass the same checker as a solved one, and the checker
compares the summary's claims with the coverage: so every edit recomputes the
coverage (the same min-cost allocation), the gaps and the summary figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scheduler.allocation import (
    allocate_interval,
    coverage_rows,
    floor_gaps_of,
    present_groups,
    shortfall_of,
)
from scheduler.domain import Assignment, CoverageRow, Roster, Scenario
from scheduler.gaps import Gap, GapExplainer, KeptReasons, gap_summary
from scheduler.pipeline import SolvedRoster
from scheduler.requirements import RequirementTable, compute_requirements
from scheduler.solver_input import TranslatedProblem, build_problem
from solver.evaluate import objective_terms

EDITED_STATUS = "feasible"
"""An edited roster keeps every rule but is no longer a proven optimum."""


@dataclass(frozen=True)
class Prepared:
    """What recomputing a roster of a scenario reads besides its shifts: the same for
    every roster of that scenario (``prepare``; kept per period by
    ``scheduler.services.edit_basis``)."""

    requirements: RequirementTable
    translated: TranslatedProblem
    reasons: KeptReasons = field(default_factory=KeptReasons)


def prepare(scenario: Scenario) -> Prepared:
    requirements = compute_requirements(scenario)
    return Prepared(requirements, build_problem(scenario, requirements))


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
    gaps = GapExplainer(scenario, translated, coverage, ordered).gaps()
    return _with_summary(scenario, translated, ordered, coverage, gaps, summary, previous)


def rebuild_after_edit(
    scenario: Scenario,
    before: Roster,
    before_gaps: Sequence[Gap],
    assignments: Iterable[Assignment],
    summary: dict,
    previous: Sequence[Assignment] | None = None,
    prepared: Prepared | None = None,
) -> SolvedRoster:
    """``rebuild_roster`` for a roster that differs from ``before`` by a few shifts,
    recomputing only what those shifts can change (the same result, tested against
    the full rebuild):

    * coverage: the allocation runs again only for the intervals a changed shift
      covers; every other interval keeps ``before``'s row;
    * gaps: a gap's reasons depend on its speakers' shifts the same day, within two
      days (rest) and in the same week (hours), so only gaps touching those days of a
      changed shift are explained again; the others are ``before_gaps`` as they were.

    ``prepared`` is ``prepare(scenario)`` when the caller keeps it (with the speakers'
    reasons of earlier edits). Falls back to the full rebuild when ``before`` has no
    coverage to start from.
    """
    ordered = tuple(sorted(assignments, key=lambda a: (a.agent_id, a.start_utc, a.shift_id)))
    old = {(a.agent_id, a.date, a.shift_id): a for a in before.assignments}
    new = {(a.agent_id, a.date, a.shift_id): a for a in ordered}
    changed = [old[k] for k in old.keys() - new.keys()] + [new[k] for k in new.keys() - old]
    prepared = prepared or prepare(scenario)
    requirements = prepared.requirements
    if not _on_grid(before.coverage, requirements):
        return rebuild_roster(scenario, ordered, summary, previous)
    translated = prepared.translated
    touched = _touched_intervals(scenario, requirements, changed)
    coverage = _coverage_around(scenario, requirements, before.coverage, ordered, touched)
    index_of = {agent_id: a for a, agent_id in enumerate(translated.agent_ids)}
    agents = {index_of[shift.agent_id] for shift in changed if shift.agent_id in index_of}
    affected = _affected_intervals(translated, changed)
    kept = {(g.language, g.start_utc, g.end_utc): g for g in before_gaps}
    explainer = _WindowExplainer(scenario, translated, coverage, ordered, prepared.reasons)
    moved = {  # reallocated rows are new objects; the others are before's own
        (row.interval_start_utc, row.language)
        for row, earlier in zip(coverage, before.coverage, strict=True)
        if row is not earlier and row != earlier
    }
    gaps = explainer.keeping(kept, moved, agents, affected, before.assignments).gaps()
    return _with_summary(scenario, translated, ordered, coverage, gaps, summary, previous)


def _on_grid(coverage: Sequence[CoverageRow], requirements: RequirementTable) -> bool:
    """Whether ``coverage`` has one row per interval and language of the requirements:
    read in that order (as stored), else compared as sets."""
    starts, languages = requirements.interval_starts_utc, requirements.languages
    if len(coverage) != len(starts) * len(languages):
        return False
    grid = [(start, name) for start in starts for name in languages]
    cells = zip(coverage, grid, strict=True)
    if all((row.interval_start_utc, row.language) == cell for row, cell in cells):
        return True
    return {(row.interval_start_utc, row.language) for row in coverage} == set(grid)


def _touched_intervals(scenario: Scenario, requirements, changed: list[Assignment]) -> set[int]:
    """The intervals a changed shift overlaps: only their coverage can change."""
    step = scenario.horizon.interval
    return {
        t
        for t, start in enumerate(requirements.interval_starts_utc)
        if any(shift.start_utc < start + step and start < shift.end_utc for shift in changed)
    }


def _coverage_around(
    scenario: Scenario,
    requirements,
    before: Sequence[CoverageRow],
    ordered: tuple[Assignment, ...],
    touched: set[int],
) -> tuple[CoverageRow, ...]:
    languages = requirements.languages
    starts = requirements.interval_starts_utc
    rows = list(before)
    if not touched:
        return tuple(rows)
    where = {(row.interval_start_utc, row.language): i for i, row in enumerate(rows)}
    floors = {name: scenario.coverage.min_agents for name in scenario.coverage.always_on}
    history = [shift for shifts in scenario.history_by_agent.values() for shift in shifts]
    # only shifts that overlap the touched intervals can be present in them
    low = starts[min(touched)]
    high = starts[max(touched)] + scenario.horizon.interval
    near = [s for s in (*ordered, *history) if s.start_utc < high and low < s.end_utc]
    groups = present_groups(scenario, near)
    for t in sorted(touched):
        required = {name: requirements.at(name, t) for name in languages}
        staffed = allocate_interval(groups[t], required, floors)
        for name in languages:
            row = CoverageRow(starts[t], name, required[name], staffed[name])
            rows[where[starts[t], name]] = row
    return tuple(rows)


def _affected_intervals(translated, changed: list[Assignment]) -> set[int]:
    """Intervals whose gap reasons a changed shift can alter: its days within two of
    it, and its week, by the option days of the solver's problem."""
    problem = translated.problem
    source_index = {(s.site_id, s.date, s.shift_id): o for o, s in enumerate(translated.sources)}
    span: dict[int, tuple[int, int]] = {}
    for option in problem.options:
        low, high = span.get(option.day, (option.first_interval, option.last_interval))
        span[option.day] = (
            min(low, option.first_interval),
            max(high, option.last_interval, option.first_interval),
        )
    block_of = problem.block_of_day
    affected: set[int] = set()
    for shift in changed:
        o = source_index.get((shift.site_id, shift.date, shift.shift_id))
        if o is None:  # not an option of the problem: explain every gap again
            return set(range(max((h for _, h in span.values()), default=0) + 1))
        day = problem.options[o].day
        days = {d for d in span if abs(d - day) <= 2 or block_of.get(d) == block_of.get(day)}
        for d in days:
            low, high = span[d]
            affected.update(range(low, high + 1))
        option = problem.options[o]
        affected.update(range(option.first_interval, option.last_interval + 1))
    return affected


class _WindowExplainer(GapExplainer):
    """Explains again only the gaps an edit can change; keeps the others as they were.

    A gap's figures come from its intervals' coverage, and its reasons from its
    language's speakers, each by his own shifts alone (``GapExplainer._reason``). So a
    gap of ``before`` with the same intervals is kept when none of its coverage rows
    changed (``moved``: (interval start, language) of the rows the edit's allocation
    changed) and each of its speakers whose shifts changed has the same reasons over
    its intervals as before: always so outside the days his reasons can depend on
    (``affected``), else compared interval by interval.
    """

    def keeping(
        self,
        kept: dict[tuple, Gap],
        moved: set[tuple],
        agents: set[int],
        affected: set[int],
        before: Sequence[Assignment],
    ) -> _WindowExplainer:
        self.kept = kept
        self.moved = moved
        self.changed_agents = agents
        self.affected = affected
        self.before = before
        return self

    def _explain(self, lang: int, run: list[int], rows: list[CoverageRow]) -> Gap:
        name = self.languages[lang]
        if all((rows[t].interval_start_utc, name) not in self.moved for t in run):
            step = self.scenario.horizon.interval
            key = (
                name,
                rows[run[0]].interval_start_utc,
                rows[run[-1]].interval_start_utc + step,
            )
            found = self.kept.get(key)
            if found is not None and self._same_reasons(lang, run):
                return found
        return super()._explain(lang, run, rows)

    def _same_reasons(self, lang: int, run: list[int]) -> bool:
        changed = [a for a in self.changed_agents if lang in self.problem.agents[a].languages]
        if not changed or self.affected.isdisjoint(run):
            return True
        earlier = self._once(("before",), self._before_explainer)
        return all(self._reason(a, t) == earlier._reason(a, t) for a in changed for t in run)

    def _before_explainer(self) -> GapExplainer:
        """The explainer of the roster before the edit (its reasons only)."""
        return GapExplainer(
            self.scenario, self.translated, (), tuple(self.before), self.kept_reasons
        )


def _with_summary(
    scenario: Scenario,
    translated,
    ordered: tuple[Assignment, ...],
    coverage: tuple[CoverageRow, ...],
    gaps: list[Gap],
    summary: dict,
    previous: Sequence[Assignment] | None,
) -> SolvedRoster:
    """The roster with its summary figures recomputed from coverage and gaps."""
    shortfall = shortfall_of(coverage)
    keys, _refused = translated.keys(ordered)
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
