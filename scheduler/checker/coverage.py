"""Coverage claims: the rows of coverage.csv, their required column, and whether
each interval's staffed numbers can really be filled by the agents on shift.

An agent counts for an interval only if one of his shifts covers all of
[t, t + interval), and for one language he speaks at a time. Whether a claimed
vector of staffed numbers is achievable is a bipartite b-matching, answered by
a max-flow: source -> language set (capacity: agents present with that exact
set) -> language (capacity: the claim) -> sink. Grouping agents by language set
keeps each interval's network tiny however many agents there are. The same
network with language capacities = required gives the best allocation of these
shifts, which tells a planner whether the claimed allocation wastes agents.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from ortools.graph.python import max_flow

from calendars.zones import iso_utc
from scheduler.checker.context import CheckContext
from scheduler.checker.violation import Violation
from scheduler.domain import CoverageRow
from scheduler.requirements import RequirementTable

SOURCE, SINK = 0, 1


@dataclass(frozen=True)
class CoverageFindings:
    """What coverage.csv implies and what the roster's shifts could achieve."""

    claimed_shortfall: int
    claimed_floor_gaps: int
    best_shortfall: int
    violations: tuple[Violation, ...]


@dataclass(frozen=True)
class Presence:
    """Agents on shift per interval, grouped by the scenario languages they speak."""

    groups: tuple[tuple[int, ...], ...]
    """Each group's language indexes (into ``scenario.languages``)."""
    counts: np.ndarray
    """counts[group, interval]: agents of the group whose shift covers the interval."""


def check_coverage(ctx: CheckContext, required: RequirementTable) -> CoverageFindings:
    """Rows, required numbers and achievability of coverage.csv, plus the best allocation."""
    horizon = ctx.scenario.horizon
    languages = ctx.scenario.languages
    claims, violations = _index_rows(ctx)
    needed = np.array(
        [
            [required.at(language, i) for i in range(horizon.interval_count)]
            for language in languages
        ],
        dtype=np.int64,
    ).reshape(len(languages), horizon.interval_count)
    violations += required_matches(ctx, claims, needed)
    staffed = _claimed_matrix(claims, len(languages), horizon.interval_count, "staffed")
    presence = presence_of(ctx)
    violations += staffed_achievable(ctx, presence, staffed)
    return CoverageFindings(
        claimed_shortfall=_shortfall(claims),
        claimed_floor_gaps=_floor_gaps(ctx, claims),
        best_shortfall=int(needed.sum()) - _best_covered(presence, needed),
        violations=tuple(violations),
    )


# --- rows ------------------------------------------------------------------------------------


def _index_rows(
    ctx: CheckContext,
) -> tuple[dict[tuple[int, int], CoverageRow], list[Violation]]:
    """Coverage rows by (language index, interval index); problems with the row set.

    Missing, duplicate, off-grid and unknown-language rows are reported once per
    language and kind (with a count and the first instance), not once per row.
    """
    horizon = ctx.scenario.horizon
    language_index = {language: i for i, language in enumerate(ctx.scenario.languages)}
    claims: dict[tuple[int, int], CoverageRow] = {}
    problems: dict[tuple[str, str], list[datetime]] = defaultdict(list)
    for row in ctx.roster.coverage:
        offset = row.interval_start_utc - horizon.start_utc
        index = int(offset / horizon.interval)
        if row.language not in language_index:
            problems[("a language the scenario has no demand or floor for", row.language)].append(
                row.interval_start_utc
            )
        elif offset % horizon.interval != timedelta(0) or not 0 <= index < horizon.interval_count:
            problems[
                ("an interval_start outside the horizon's interval grid", row.language)
            ].append(row.interval_start_utc)
        elif (language_index[row.language], index) in claims:
            problems[("a duplicate of an earlier row", row.language)].append(row.interval_start_utc)
        else:
            claims[(language_index[row.language], index)] = row
    for l_index, language in enumerate(ctx.scenario.languages):
        for i, start in enumerate(horizon.interval_starts()):
            if (l_index, i) not in claims:
                problems[("missing (every interval and language needs one row)", language)].append(
                    start
                )
    violations = [
        Violation(
            "coverage_rows",
            None,
            instants[0].date(),
            f"{len(instants)} row(s) for {language} are {kind}, first {iso_utc(instants[0])}",
        )
        for (kind, language), instants in problems.items()
    ]
    return claims, violations


def _claimed_matrix(
    claims: dict[tuple[int, int], CoverageRow], languages: int, intervals: int, column: str
) -> np.ndarray:
    matrix = np.zeros((languages, intervals), dtype=np.int64)
    for (l_index, i), row in claims.items():
        matrix[l_index, i] = getattr(row, column)
    return matrix


def required_matches(
    ctx: CheckContext, claims: dict[tuple[int, int], CoverageRow], needed: np.ndarray
) -> list[Violation]:
    """coverage.csv's required column must be the scenario's requirement, per language."""
    wrong: dict[int, list[CoverageRow]] = defaultdict(list)
    for (l_index, i), row in sorted(claims.items(), key=lambda item: item[0][::-1]):
        if row.required != needed[l_index, i]:
            wrong[l_index].append(row)
    violations = []
    for l_index, rows in sorted(wrong.items()):
        first = rows[0]
        index = ctx.scenario.horizon.interval_index(first.interval_start_utc)
        violations.append(
            Violation(
                "coverage_required",
                None,
                first.interval_start_utc.date(),
                f"{len(rows)} row(s) of {first.language} state a required number the scenario "
                f"does not give; first {iso_utc(first.interval_start_utc)}: says "
                f"{first.required}, scenario requires {needed[l_index, index]}",
            )
        )
    return violations


# --- who is on shift -------------------------------------------------------------------------


def presence_of(ctx: CheckContext) -> Presence:
    """Agents per language-set group whose shifts cover each whole interval, history
    shifts running into the window included (v1.1).

    An agent with overlapping shifts (already a min_rest violation) counts once.
    """
    horizon = ctx.scenario.horizon
    language_index = {language: i for i, language in enumerate(ctx.scenario.languages)}
    group_index: dict[tuple[int, ...], int] = {}
    spans: list[tuple[int, int, int]] = []
    history = ctx.scenario.history_by_agent
    for agent_id in sorted(set(ctx.shifts_by_agent) | set(history)):
        agent = ctx.scenario.agent(agent_id)
        spoken = tuple(sorted({language_index[x] for x in agent.languages if x in language_index}))
        if not spoken:
            continue
        group = group_index.setdefault(spoken, len(group_index))
        worked = [*ctx.shifts_by_agent.get(agent_id, ()), *history.get(agent_id, ())]
        covered = [_covered_intervals(ctx, s.start_utc, s.end_utc) for s in worked]
        for first, end in _merged(covered):
            spans.append((group, first, end))
    counts = np.zeros((len(group_index), horizon.interval_count + 1), dtype=np.int64)
    if spans:
        groups, firsts, ends = (np.array(column) for column in zip(*spans, strict=True))
        np.add.at(counts, (groups, firsts), 1)
        np.add.at(counts, (groups, ends), -1)
    return Presence(tuple(group_index), np.cumsum(counts, axis=1)[:, :-1])


def _covered_intervals(
    ctx: CheckContext, start_utc: datetime, end_utc: datetime
) -> tuple[int, int]:
    """Index range [first, end) of horizon intervals lying wholly inside the shift."""
    horizon = ctx.scenario.horizon
    step = horizon.interval
    first = -((horizon.start_utc - start_utc) // step)  # ceiling division
    end = (end_utc - horizon.start_utc) // step
    count = horizon.interval_count
    return max(0, min(first, count)), max(0, min(end, count))


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, end in sorted(r for r in ranges if r[0] < r[1]):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((first, end))
    return merged


# --- max flow --------------------------------------------------------------------------------


def allocatable(groups: list[tuple[tuple[int, ...], int]], capacity: tuple[int, ...]) -> int:
    """Most agents that can be allocated, one language each, within per-language capacities."""
    flow = max_flow.SimpleMaxFlow()
    language_node = len(groups) + 2
    for g, (spoken, count) in enumerate(groups):
        flow.add_arc_with_capacity(SOURCE, g + 2, count)
        for l_index in spoken:
            flow.add_arc_with_capacity(g + 2, language_node + l_index, count)
    for l_index, cap in enumerate(capacity):
        if cap:
            flow.add_arc_with_capacity(language_node + l_index, SINK, cap)
    if flow.solve(SOURCE, SINK) != flow.OPTIMAL:
        raise RuntimeError("max-flow on a coverage interval did not solve")
    return flow.optimal_flow()


class _FlowCache:
    """Intervals often repeat the same agents on shift and the same numbers."""

    def __init__(self) -> None:
        self.known: dict[tuple, int] = {}

    def allocatable(
        self, groups: list[tuple[tuple[int, ...], int]], capacity: tuple[int, ...]
    ) -> int:
        key = (tuple(groups), capacity)
        if key not in self.known:
            self.known[key] = allocatable(groups, capacity)
        return self.known[key]


def _present_groups(presence: Presence, interval: int) -> list[tuple[tuple[int, ...], int]]:
    column = presence.counts[:, interval] if presence.groups else ()
    return [(presence.groups[g], int(c)) for g, c in enumerate(column) if c]


def staffed_achievable(
    ctx: CheckContext, presence: Presence, staffed: np.ndarray
) -> list[Violation]:
    """Each interval's claimed staffed numbers must be fillable by distinct present agents."""
    cache = _FlowCache()
    languages = ctx.scenario.languages
    violations = []
    for interval, start in enumerate(ctx.scenario.horizon.interval_starts()):
        claim = tuple(int(x) for x in staffed[:, interval])
        total = sum(claim)
        if not total:
            continue
        groups = _present_groups(presence, interval)
        can = cache.allocatable(groups, claim)
        if can == total:
            continue
        claimed = ", ".join(f"{languages[i]} {n}" for i, n in enumerate(claim) if n)
        speakers = ", ".join(
            f"{language} {sum(c for spoken, c in groups if i in spoken)}"
            for i, language in enumerate(languages)
            if claim[i]
        )
        present = sum(c for _, c in groups)
        violations.append(
            Violation(
                "coverage_staffed",
                None,
                start.date(),
                f"{iso_utc(start)} claims {claimed} staffed ({total} in all), but the {present} "
                f"agent(s) whose shifts cover it can fill at most {can}, one language each "
                f"(speakers on shift: {speakers})",
            )
        )
    return violations


def _best_covered(presence: Presence, needed: np.ndarray) -> int:
    cache = _FlowCache()
    covered = 0
    for interval in range(needed.shape[1]):
        groups = _present_groups(presence, interval)
        if groups:
            covered += cache.allocatable(groups, tuple(int(x) for x in needed[:, interval]))
    return covered


# --- what the rows imply ---------------------------------------------------------------------


def _shortfall(claims: dict[tuple[int, int], CoverageRow]) -> int:
    return sum(max(0, row.required - row.staffed) for row in claims.values())


def _floor_gaps(ctx: CheckContext, claims: dict[tuple[int, int], CoverageRow]) -> int:
    always_on = set(ctx.scenario.coverage.always_on)
    floor = ctx.scenario.coverage.min_agents
    return sum(1 for row in claims.values() if row.language in always_on and row.staffed < floor)
