"""Large-neighbourhood search around the full model.

A neighbourhood frees some agents' shifts on some dates; everything else stays
as it is. The sub-problem keeps only what touches it (the free agents' other
shifts, fixed, so rest and consecutive-day rules see them; other agents'
shifts overlapping the freed intervals, fixed, so coverage counts them) and
demand only in the intervals the free shifts can cover. CP-SAT solves it from the current roster
as a complete hint, so a returned roster is never worse on the objective's
coverage and contract terms.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from solver.evaluate import objective_terms
from solver.input import Progress, SolveLimits, SolverInput
from solver.roster_model import RosterModel
from solver.rules.penalty import WEIGHT_BY_TERM

SECONDS_PER_NEIGHBOURHOOD = 1.0
"""The least time a neighbourhood gets; larger ones get up to three times as much."""
FREE_VARIABLES_PER_SECOND = 1_500
PROGRESS_RECOUNT_SECONDS = 5.0
"""How stale the shortfall in a progress report may be (elapsed is always fresh)."""
FREE_VARIABLES_TARGET = 2_500
"""Roughly how many shift variables a neighbourhood frees: small enough for CP-SAT
to improve it in about a second on two cores."""


@dataclass(frozen=True)
class Neighbourhood:
    label: str
    agents: frozenset[int]
    days: frozenset[int]


LANGUAGE_WINDOW_DAYS = 3
"""A language neighbourhood frees the speakers of one language, at every site,
over this many dates: an hour of Japanese can move from Tokyo to Dublin."""
MIX = "both"
"""Which neighbourhoods a round holds: ``site`` (site x block), ``language``
(cross-site language windows) or ``both``. Measured at 60 s on the spec example
(seeds 1, 2): both 37 / 39 floor gaps, site 40 / 41 (shortfall 728 / 725 against
723 / 713); on M and the DST case the two give the same roster (+-1): floors come
first, so ``both``."""


def neighbourhoods(problem: SolverInput, rng: random.Random) -> list[Neighbourhood]:
    """Every site over every block (a site's agents re-plan their week against
    everyone else's) and every short language over windows of a few dates, across
    sites, in random order."""
    by_site: dict[int, set[int]] = defaultdict(set)
    for a, agent in enumerate(problem.agents):
        by_site[agent.site].add(a)
    found = []
    if MIX in ("both", "site"):
        found += [
            Neighbourhood(f"site {site}, block {b}", frozenset(part), frozenset(block))
            for b, block in enumerate(problem.blocks)
            for site, members in sorted(by_site.items())
            for part in _split(members, len(block), problem, rng)
        ]
    if MIX in ("both", "language"):
        found += _language_windows(problem, rng)
    rng.shuffle(found)
    return found


def _language_windows(problem: SolverInput, rng: random.Random) -> list[Neighbourhood]:
    found = []
    step = max(1, LANGUAGE_WINDOW_DAYS - 1)
    for lang, name in enumerate(problem.languages):
        speakers = {a for a, agent in enumerate(problem.agents) if lang in agent.languages}
        if not speakers or not any(problem.required[lang]):
            continue
        for first in range(0, problem.days, step):
            days = frozenset(range(first, min(problem.days, first + LANGUAGE_WINDOW_DAYS)))
            for part in _split(speakers, len(days), problem, rng):
                found.append(Neighbourhood(f"{name}, days {first}+", part, days))
    return found


def _split(
    members: set[int], days: int, problem: SolverInput, rng: random.Random
) -> list[frozenset[int]]:
    """Cut a site's agents into random parts of about the target size."""
    ordered = sorted(members)
    per_agent = sum(len(problem.agents[a].options) for a in ordered) / max(1, len(ordered))
    size = per_agent * days / max(1, problem.days) * len(ordered)
    parts = max(1, round(size / FREE_VARIABLES_TARGET))
    rng.shuffle(ordered)
    return [frozenset(ordered[i::parts]) for i in range(parts)]


def sub_problem(
    problem: SolverInput, chosen: set[tuple[int, int]], free: Neighbourhood
) -> tuple[SolverInput, set[tuple[int, int]], list[int]]:
    """The restricted problem, the (agent, option) pairs fixed in it, and the
    sub-problem's agents (sub-problem index -> original index)."""
    options = problem.options
    by_agent: dict[int, list[int]] = defaultdict(list)
    for a, o in chosen:
        by_agent[a].append(o)
    window: set[int] = set()
    for a in free.agents:
        for o in problem.agents[a].options:
            if options[o].day in free.days:
                window.update(range(options[o].first_interval, options[o].last_interval + 1))
    fixed: set[tuple[int, int]] = set()
    agents = []
    originals = []
    for a, agent in enumerate(problem.agents):
        if a in free.agents:
            kept = [o for o in agent.options if options[o].day in free.days]
            outside = [o for o in by_agent[a] if options[o].day not in free.days]
        else:
            kept = []
            outside = [
                o
                for o in by_agent[a]
                if not window.isdisjoint(
                    range(options[o].first_interval, options[o].last_interval + 1)
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
    position = {a: i for i, a in enumerate(originals)}
    previous = frozenset((position[a], o) for a, o in problem.previous if a in position)
    # an agent kept only for coverage has just his shifts overlapping the window
    locked = frozenset(
        (position[a], o)
        for a, o in problem.locked
        if a in position and o in agents[position[a]].options
    )
    restricted = replace(
        problem, agents=tuple(agents), required=required, previous=previous, locked=locked
    )
    return restricted, fixed, originals


def _seconds_for(sub: SolverInput, fixed: set[tuple[int, int]]) -> float:
    """Time for one neighbourhood, by how many shift variables it frees (measured on
    the benchmarks: 1 s suits M's sites of ~1,000 free variables, L's need more)."""
    free = sum(len(agent.options) for agent in sub.agents) - len(fixed)
    return min(
        3 * SECONDS_PER_NEIGHBOURHOOD,
        max(SECONDS_PER_NEIGHBOURHOOD, free / FREE_VARIABLES_PER_SECOND),
    )


def _cost(problem: SolverInput, roster: set[tuple[int, int]]) -> tuple[int, int]:
    """Floor gaps, then the rest of the weighted objective."""
    terms = objective_terms(problem, sorted(roster))
    floors = terms.pop("floor_gaps")
    return floors, sum(WEIGHT_BY_TERM[name] * value for name, value in terms.items())


def improve(
    problem: SolverInput,
    chosen: set[tuple[int, int]],
    deadline: float,
    limits: SolveLimits,
    on_progress: Callable[[Progress], None] | None = None,
    bound: object = None,
    rounds: int | None = None,
    started: float | None = None,
) -> set[tuple[int, int]]:
    """Re-solve neighbourhoods until the deadline (a ``time.monotonic()`` value),
    or, when ``rounds`` is given, exactly that many (for reproducible runs).
    ``bound`` is the bound to report: a number, or an object whose ``value`` grows."""
    rng = random.Random(limits.seed)
    started = time.monotonic() if started is None else started
    current = set(chosen)
    queue: list[Neighbourhood] = []
    deterministic = rounds is not None
    rounds_left = rounds or 0
    unchanged = 0
    round_size = 1
    shortfall: int | None = None
    counted: set[tuple[int, int]] = set()
    counted_at = -math.inf
    while unchanged < round_size:
        if deterministic:
            if rounds_left <= 0:
                break
            rounds_left -= 1
        elif deadline - time.monotonic() < 0.5:
            break
        if not queue:
            queue = neighbourhoods(problem, rng)
            round_size = len(queue)
        free = queue.pop()
        sub, fixed, originals = sub_problem(problem, current, free)
        position = {a: i for i, a in enumerate(originals)}
        # the current roster within the sub-problem (an agent kept only for coverage
        # brings just his shifts that overlap it)
        local = {
            (position[a], o)
            for a, o in current
            if a in position and o in sub.agents[position[a]].options
        }
        seconds = _seconds_for(sub, fixed)
        if not deterministic:
            seconds = min(seconds, deadline - time.monotonic())
        result = RosterModel(sub, fixed=fixed).solve_once(
            local, SolveLimits(seconds, limits.seed, limits.workers)
        )
        if result is None or _cost(sub, result) > _cost(sub, local):
            # nothing found, or stopped before CP-SAT reached the hint (a loaded machine)
            updated = current
        else:
            updated = {(a, o) for a, o in current if a not in free.agents}
            updated.update((originals[a], o) for a, o in result if originals[a] in free.agents)
        unchanged = unchanged + 1 if updated == current else 0
        if on_progress is not None:  # every neighbourhood, so elapsed always moves
            # the whole roster's shortfall costs a full allocation (seconds on the
            # largest cases): recounted at most every PROGRESS_RECOUNT_SECONDS
            stale = time.monotonic() - counted_at >= PROGRESS_RECOUNT_SECONDS
            if shortfall is None or (updated != counted and (stale or deterministic)):
                shortfall = objective_terms(problem, sorted(updated))["shortfall"]
                counted, counted_at = set(updated), time.monotonic()
            elapsed = time.monotonic() - started
            known = getattr(bound, "value", bound) or 0
            on_progress(Progress(elapsed, float(shortfall), float(known), shortfall, "improve"))
        current = updated
    return current
