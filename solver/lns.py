"""Large-neighbourhood search around the full model.

A neighbourhood is the agents of a few sites over one 7-day block: their
shifts in that block are free, everything else stays as it is. The sub-problem
keeps only what touches the block (the neighbourhood's shifts elsewhere, fixed,
so rest and consecutive-day rules see them; other agents' shifts overlapping
the block's intervals, fixed, so coverage counts them) and demand only in the
intervals the free shifts can cover. CP-SAT solves it from the current roster
as a complete hint, so a returned roster is never worse on the objective's
coverage and contract terms.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

from solver.evaluate import objective_terms
from solver.input import Progress, SolveLimits, SolverInput
from solver.rules.penalty import WEIGHT_BY_TERM

SITES_PER_NEIGHBOURHOOD = 1
SECONDS_PER_NEIGHBOURHOOD = 2.0


def neighbourhoods(problem: SolverInput, rng: random.Random) -> list[tuple[set[int], int]]:
    """(sites, block) pairs covering every site in every block, in random order."""
    sites = sorted({agent.site for agent in problem.agents})
    found = []
    for block in range(len(problem.blocks)):
        shuffled = sites[:]
        rng.shuffle(shuffled)
        for i in range(0, len(shuffled), SITES_PER_NEIGHBOURHOOD):
            found.append((set(shuffled[i : i + SITES_PER_NEIGHBOURHOOD]), block))
    rng.shuffle(found)
    return found


def sub_problem(
    problem: SolverInput, chosen: set[tuple[int, int]], sites: set[int], block: int
) -> tuple[SolverInput, set[tuple[int, int]], list[int]]:
    """The restricted problem, the (agent, option) pairs fixed in it, and the
    agents whose block shifts are free (sub-problem agent index -> original)."""
    days = set(problem.blocks[block])
    options = problem.options
    by_agent: dict[int, list[int]] = defaultdict(list)
    for a, o in chosen:
        by_agent[a].append(o)
    free_agents = [a for a, agent in enumerate(problem.agents) if agent.site in sites]
    window: set[int] = set()
    for a in free_agents:
        for o in problem.agents[a].options:
            if options[o].day in days:
                window.update(range(options[o].first_interval, options[o].last_interval + 1))
    fixed: set[tuple[int, int]] = set()
    agents = []
    originals = []
    for a, agent in enumerate(problem.agents):
        if agent.site in sites:
            kept = [o for o in agent.options if options[o].day in days]
            outside = [o for o in by_agent[a] if options[o].day not in days]
        else:
            kept = []
            outside = [
                o
                for o in by_agent[a]
                if any(
                    t in window
                    for t in range(options[o].first_interval, options[o].last_interval + 1)
                )
            ]
            if not outside:
                continue
        sub_index = len(agents)
        fixed.update((sub_index, o) for o in outside)
        agents.append(replace(agent, options=tuple(sorted(kept + outside))))
        originals.append(a)
    required = tuple(
        tuple(need if t in window else 0 for t, need in enumerate(row)) for row in problem.required
    )
    return replace(problem, agents=tuple(agents), required=required), fixed, originals


def improve(
    problem: SolverInput,
    chosen: set[tuple[int, int]],
    deadline: float,
    limits: SolveLimits,
    on_progress: Callable[[Progress], None] | None = None,
    bound: int = 0,
) -> set[tuple[int, int]]:
    """Re-solve neighbourhoods until the deadline (a ``time.monotonic()`` value)."""
    from solver.model import RosterModel  # the model module imports this one

    rng = random.Random(limits.seed)
    started = time.monotonic()
    current = set(chosen)
    queue: list[tuple[set[int], int]] = []
    # one worker is reproducible: a fixed number of neighbourhoods, each stopped by
    # CP-SAT's deterministic time, instead of a wall-clock deadline
    deterministic = limits.workers == 1
    rounds_left = int((deadline - started) / SECONDS_PER_NEIGHBOURHOOD)
    unchanged = 0
    while unchanged < len(problem.blocks) * len({agent.site for agent in problem.agents}):
        if deterministic:
            if rounds_left <= 0:
                break
            rounds_left -= 1
            seconds = SECONDS_PER_NEIGHBOURHOOD
        else:
            seconds = min(SECONDS_PER_NEIGHBOURHOOD, deadline - time.monotonic())
            if seconds < 0.5:
                break
        if not queue:
            queue = neighbourhoods(problem, rng)
        sites, block = queue.pop()
        sub, fixed, originals = sub_problem(problem, current, sites, block)
        position = {a: i for i, a in enumerate(originals)}
        local = {(position[a], o) for a, o in current if a in position}
        result = RosterModel(sub, fixed=fixed).solve_once(
            local, SolveLimits(seconds, limits.seed, limits.workers)
        )
        if result is None:
            unchanged += 1
            continue
        free = {a for a, agent in enumerate(problem.agents) if agent.site in sites}
        updated = {(a, o) for a, o in current if a not in free}
        updated.update((originals[a], o) for a, o in result if originals[a] in free)
        unchanged = unchanged + 1 if updated == current else 0
        if on_progress is not None and updated != current:
            terms = objective_terms(problem, sorted(updated))
            objective = sum(WEIGHT_BY_TERM[name] * value for name, value in terms.items())
            on_progress(
                Progress(
                    time.monotonic() - started, objective, bound, terms["shortfall"], "improve"
                )
            )
        current = updated
    return current
