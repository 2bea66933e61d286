"""Every objective term of a roster, computed directly (no CP-SAT), so a result
can report them by name whichever search produced it."""

from __future__ import annotations

from collections import defaultdict

from solver.greedy import allocated_roster
from solver.input import SolverInput
from solver.rules.fairness import UNSOCIAL_KINDS, fairness_groups


def objective_terms(problem: SolverInput, chosen: list[tuple[int, int]]) -> dict[str, int]:
    options = problem.options
    allocation = allocated_roster(problem, sorted(chosen))
    shortfall = floor_gaps = 0
    for lang, row in enumerate(problem.required):
        for t, need in enumerate(row):
            have = allocation.staffed[lang][t]
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
