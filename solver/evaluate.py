"""Every objective term of a roster, computed directly (no CP-SAT), so a result
can report them by name whichever search produced it."""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict

from solver.allocation import allocate
from solver.input import SolverInput
from solver.rules.fairness import UNSOCIAL_KINDS, fairness_groups

PROBLEMS_KEPT = 8
"""Problems whose last allocation per interval is kept (``_staffed``)."""

_kept: list[tuple[weakref.ref, dict[int, tuple]]] = []
_kept_lock = threading.Lock()


def _kept_for(problem: SolverInput) -> dict[int, tuple]:
    """Interval -> (its agents present by language set, in order; their allocation),
    as last computed for ``problem`` (the same object: an edit's, a ranking's)."""
    with _kept_lock:
        for ref, kept in _kept:
            if ref() is problem:
                return kept
        kept = {}
        _kept[:] = [(ref, k) for ref, k in _kept if ref() is not None][-(PROBLEMS_KEPT - 1) :]
        _kept.append((weakref.ref(problem), kept))
        return kept


def _staffed(problem: SolverInput, chosen: list[tuple[int, int]]) -> list[list[int]]:
    """Agents serving each language per interval: ``solver.greedy.allocated_roster``'s
    ``staffed``, the same min-cost allocation of each interval, made again only where
    the agents present (by language set, in the same order) differ from the last roster
    evaluated on this problem: an edit changes a few intervals of ~700."""
    present = problem.presence(chosen)
    floors = dict(enumerate(problem.floor))
    kept = _kept_for(problem)
    staffed = [[0] * problem.interval_count for _ in problem.languages]
    for t, groups in enumerate(present):
        key = tuple(groups.items())
        found = kept.get(t)
        if found is None or found[0] != key:
            required = {lang: problem.required[lang][t] for lang in range(len(problem.languages))}
            found = (key, allocate(groups, required, floors))
            kept[t] = found
        for (_group, lang), count in found[1].items():
            staffed[lang][t] += count
    return staffed


def shortfall_by_interval(problem: SolverInput, chosen: list[tuple[int, int]]) -> list[int]:
    """Per interval, the shortfall over all languages (where a search should look)."""
    staffed = _staffed(problem, sorted(chosen))
    return [
        sum(max(0, row[t] - staffed[lang][t]) for lang, row in enumerate(problem.required))
        for t in range(problem.interval_count)
    ]


def coverage_cost(problem: SolverInput, chosen) -> tuple[int, int, int]:
    """(floor gaps, shortfall, idle contract minutes): how the phases compare rosters."""
    terms = objective_terms(problem, sorted(chosen))
    return terms["floor_gaps"], terms["shortfall"], terms["unscheduled_minutes"]


def objective_terms(problem: SolverInput, chosen: list[tuple[int, int]]) -> dict[str, int]:
    options = problem.options
    staffed = _staffed(problem, sorted(chosen))
    shortfall = floor_gaps = 0
    for lang, row in enumerate(problem.required):
        for t, need in enumerate(row):
            have = staffed[lang][t]
            shortfall += max(0, need - have)
            floor_gaps += need > 0 and have < problem.floor[lang]
    block_of = problem.block_of_day
    worked: dict[tuple[int, int], int] = defaultdict(int)
    starts: dict[tuple[int, int], set[int]] = defaultdict(set)
    for a, o in chosen:
        option = options[o]
        worked[a, block_of[option.day]] += option.minutes
        starts[a, block_of[option.day]].add(option.start_local_minute_of_day)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for a, o in chosen:
        for kind in UNSOCIAL_KINDS:
            if getattr(options[o], kind):
                counts[a, kind] += 1
    idle = sum(
        agent.max_minutes_per_block - worked[a, b]
        for a, agent in enumerate(problem.agents)
        for b in range(len(problem.blocks))
    )
    spread = sum(
        max(counts[a, kind] for a in members) - min(counts[a, kind] for a in members)
        for (_, _, kind), members in fairness_groups(problem).items()
    )
    terms = {
        "floor_gaps": floor_gaps,
        "shortfall": shortfall,
        "unscheduled_minutes": idle,
        "unfair_unsocial_shifts": spread,
        "start_time_changes": sum(len(s) - 1 for s in starts.values()),
    }
    costs = [dict(agent.preference_costs) for agent in problem.agents]
    if any(costs):
        terms["unmet_preferences"] = sum(costs[a].get(o, 0) for a, o in chosen)
    if problem.previous:
        terms["roster_changes"] = len(problem.previous ^ set(chosen))
    return terms
