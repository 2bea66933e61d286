"""A fast constructive roster: the starting point CP-SAT improves on.

Lazy greedy: repeatedly take the (agent, shift option) that removes the most
uncovered demand (always-on floors first), if it keeps every hard rule given
what is already taken. Rules are packing constraints, so an option that no
longer fits never fits again, and gains only shrink as coverage grows: a
popped option whose refreshed gain still beats the next one is the best.
While choosing, each present agent serves the language that needs him most;
at the end the chosen shifts are re-allocated by min-cost flow, and that
allocation is handed to CP-SAT with the shifts as a complete hint.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from solver.allocation import allocate
from solver.input import SolverInput
from solver.rules.penalty import WEIGHTS
from solver.schedule import AgentSchedule

FLOOR_VALUE = 100
"""An interval that lifts an always-on language to its floor is worth this many
ordinary agent-intervals, as in the objective's priorities."""


@dataclass
class GreedyRoster:
    chosen: list[tuple[int, int]] = field(default_factory=list)
    shares: dict[tuple[tuple[int, ...], int, int], int] = field(default_factory=dict)
    """(language set, language, interval) -> agents of that set serving it, from the
    best allocation of the chosen shifts (not the greedy's own, made on the way)."""
    staffed: list[list[int]] = field(default_factory=list)


def greedy_roster(problem: SolverInput, start: list[tuple[int, int]] = ()) -> GreedyRoster:
    """``start``: shifts to take first, in order, where they keep every rule (an
    LP-guided start); then the greedy fills in what still gains."""
    block_of = problem.block_of_day
    staffed = [[0] * problem.interval_count for _ in problem.languages]
    states = [AgentSchedule(agent, problem) for agent in problem.agents]
    intervals = range(problem.interval_count)

    def value(lang: int, t: int) -> int:
        have = staffed[lang][t]
        if have >= problem.required[lang][t]:
            return 0
        return FLOOR_VALUE + 1 if have < problem.floor[lang] else 1

    chosen: list[tuple[int, int]] = []
    for t, group, count in problem.history_present:  # shifts already worked count first
        for _ in range(count):
            best = max(group, key=lambda x: (value(x, t), problem.required[x][t]))
            if value(best, t) > 0:
                staffed[best][t] += 1

    # per language set and interval, what one more of its agents there is worth (the
    # best of its languages) and how busy it is: an option's gain is then a sum over a
    # slice, kept up to date where a shift is taken (on 1,000 agents the greedy took
    # 15 s recomputing every interval's languages for every option it weighed)
    sets = {agent.languages for agent in problem.agents}
    worth = {
        languages: [max((value(x, t) for x in languages), default=0) for t in intervals]
        for languages in sets
    }
    busy_before = {languages: _running_sum(problem, languages) for languages in sets}
    sets_with = {
        x: [languages for languages in sets if x in languages]
        for x in range(len(problem.languages))
    }

    def gain(a: int, o: int) -> tuple[int, int]:
        languages = problem.agents[a].languages
        option = problem.options[o]
        first, last = option.first_interval, option.last_interval + 1
        if first >= last:  # a shift that starts after the period covers none of it
            return 0, 0
        busy = busy_before[languages]
        return sum(worth[languages][first:last]), busy[last] - busy[first]

    def take(a: int, o: int) -> None:
        option = problem.options[o]
        states[a].take(option, block_of[option.day])
        chosen.append((a, o))
        languages = problem.agents[a].languages
        for t in range(option.first_interval, option.last_interval + 1):
            best = max(languages, key=lambda x: (value(x, t), problem.required[x][t]), default=None)
            if best is not None and (was := value(best, t)) > 0:
                staffed[best][t] += 1
                if value(best, t) != was:  # at its floor, or fully staffed
                    for other in sets_with[best]:
                        worth[other][t] = max(value(x, t) for x in other)

    # the locked shifts first, then ``start`` (a roster being filled up), then on a
    # re-solve the previous roster's where they still fit
    first = sorted(problem.locked) + list(start) + sorted(problem.previous - problem.locked)
    for a, o in first:  # a second shift the same date never fits
        option = problem.options[o]
        if o in problem.agents[a].options and states[a].fits(option, block_of[option.day]):
            take(a, o)
    taken = set(chosen)
    # on a re-solve a new shift is a change: only worth it where it covers enough
    least_gain = WEIGHTS.roster_change // WEIGHTS.shortfall if problem.previous else 0

    # among equal gains, the option going against fewer of the agent's preferences
    heap = []
    for a, agent in enumerate(problem.agents):
        unwanted = dict(agent.preference_costs)
        for o in agent.options:
            if (a, o) in taken:
                continue
            demand, busy = gain(a, o)
            heapq.heappush(heap, (-demand, unwanted.get(o, 0), -busy, a, o))

    while heap:
        _, unwanted, _, a, o = heapq.heappop(heap)
        option = problem.options[o]
        block = block_of[option.day]
        if not states[a].fits(option, block):
            continue
        demand, busy = gain(a, o)
        if demand < least_gain:
            continue
        if heap and (-demand, unwanted, -busy) > heap[0][:3]:
            heapq.heappush(heap, (-demand, unwanted, -busy, a, o))
            continue
        take(a, o)
    return allocated_roster(problem, sorted(chosen))


def _running_sum(problem: SolverInput, languages: tuple[int, ...]) -> list[int]:
    """Running sum over intervals of the most any of ``languages`` requires."""
    total, sums = 0, [0]
    for t in range(problem.interval_count):
        total += max((problem.required[x][t] for x in languages), default=0)
        sums.append(total)
    return sums


def allocated_roster(problem: SolverInput, chosen: list[tuple[int, int]]) -> GreedyRoster:
    """The chosen shifts with the best allocation of present agents to languages."""
    present = problem.presence(chosen)
    floors = dict(enumerate(problem.floor))
    result = GreedyRoster(chosen=chosen)
    result.staffed = [[0] * problem.interval_count for _ in problem.languages]
    for t, groups in enumerate(present):
        required = {lang: problem.required[lang][t] for lang in range(len(problem.languages))}
        for (group, lang), count in allocate(groups, required, floors).items():
            result.shares[group, lang, t] = count
            result.staffed[lang][t] += count
    return result
