"""A fast shortfall-driven local search in plain Python, between the greedy start
and the CP-SAT neighbourhoods.

Each step picks an interval and language left short and tries to bring a
speaker onto it: an agent takes a shift covering it on that date (replacing the
shift he works that date, if any), and if that breaks a rule, also gives up one
other shift of his nearby or in the same block. The best such move is taken if
it lowers the cost (floor gaps, then shortfall, then idle contract minutes), or
keeps it equal (so the search can cross plateaus). Every move is checked
against every hard rule, so the roster stays valid; locked shifts never move.
Cost per interval is exact: agents of a language set are allocated to languages
by augmenting paths, floors first, as the min-cost flow of ``solver.allocation``.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable

from solver.input import SolverInput
from solver.rules.penalty import WEIGHTS
from solver.schedule import AgentSchedule

FLOOR_COST = 1_000_000
"""A floor gap costs more than any move can change shortfall: floors first."""
SIDEWAYS_SHARE = 0.3
"""Chance of taking a move that leaves the cost unchanged."""
CANDIDATES_PER_STEP = 24
WIDE_SHARE = 0.5
"""Share of steps that try every agent who could work the short interval, not
only the language's speakers (one may free a multilingual colleague)."""
STALL_STEPS = 5_000
"""Give up (and leave the time to the neighbourhood search) after this many
steps without a strict improvement."""
FLOOR_TARGET_SHARE = 0.5
"""Share of steps aimed at an interval with a floor gap while there is one (chosen
among all short intervals, a handful of floor gaps among a 1,000-agent month's
thousand short intervals waited for minutes)."""
FLOOR_STALL_STEPS = 200
"""Steps aimed at floor gaps without closing one after which they are left alone
(floor gaps no move can close, as most of the 160-agent months' 28-86: the rest of
the time is the shortfall's; at 500, DST and YE ended 20-50 higher at 60 s)."""
TICK_SECONDS = 1.0
"""How often a running search tells its shortfall (the planner's progress: a 60 s
solve's local search may run 20 s)."""
COST_CACHE_ENTRIES = 1_000_000
"""Interval costs remembered before the memory is cleared (about 200 MiB)."""


class LocalSearch:
    def __init__(self, problem: SolverInput, chosen: set[tuple[int, int]], seed: int) -> None:
        self.problem = problem
        self.rng = random.Random(seed)
        self.block_of = problem.block_of_day
        groups = sorted({agent.languages for agent in problem.agents if agent.languages})
        self.groups = groups
        self.group_of = [
            groups.index(agent.languages) if agent.languages else -1 for agent in problem.agents
        ]
        count = problem.interval_count
        self.present = [[0] * len(groups) for _ in range(count)]
        for t, group, n in problem.history_present:
            self.present[t][groups.index(group)] += n
        self.states = [AgentSchedule(agent, problem) for agent in problem.agents]
        self.chosen_index: list[dict[int, int]] = [{} for _ in problem.agents]
        for a, o in sorted(chosen):
            option = problem.options[o]
            self.states[a].take(option, self.block_of[option.day])
            self.chosen_index[a][option.day] = o
            self._shift(a, o, 1)
        self.locked = set(problem.locked)
        self.wanted = [
            [lang for lang in range(len(problem.languages)) if problem.required[lang][t] > 0]
            for t in range(count)
        ]
        self.wanted_by_group: list[list[tuple[int, ...]] | None] = [None] * count
        self.cost_cache: list[dict[tuple[int, ...], int]] = [{} for _ in range(count)]
        self.cached = 0
        self.cost = [self._cost(t) for t in range(count)]
        self.options_at: list[list[int]] = [[] for _ in range(count)]
        for o, option in enumerate(problem.options):
            for t in range(max(0, option.first_interval), min(count, option.last_interval + 1)):
                self.options_at[t].append(o)
        self.agents_of: dict[int, list[int]] = defaultdict(list)
        for a, agent in enumerate(problem.agents):
            if agent.languages:
                for o in agent.options:
                    self.agents_of[o].append(a)

    def _shift(self, a: int, o: int, sign: int) -> None:
        g = self.group_of[a]
        if g < 0:
            return
        option = self.problem.options[o]
        for t in range(option.first_interval, option.last_interval + 1):
            self.present[t][g] += sign

    def _staffed(self, t: int) -> list[int]:
        """Agents serving each language at t: mono-lingual directly, the rest by
        augmenting paths between language sets and languages, floors first (the
        maximum flow solver.allocation finds)."""
        problem = self.problem
        need = [problem.required[lang][t] for lang in range(len(problem.languages))]
        staffed = [0] * len(need)
        sources: list[tuple[int, ...]] = []
        left: list[int] = []
        wanted_by_group = self._wanted_by_group(t)
        for g, n in enumerate(self.present[t]):
            if not n:
                continue
            wanted = wanted_by_group[g]
            if len(wanted) == 1:
                staffed[wanted[0]] += n
            elif wanted:
                sources.append(wanted)
                left.append(n)
        if not sources:
            return staffed
        flow = [dict.fromkeys(wanted, 0) for wanted in sources]
        serving: list[set[int]] = [set() for _ in need]
        """The sets serving each language now: the only ones a path can move on."""
        used = [0] * len(need)

        def augment(cap: list[int]) -> bool:
            """More agents of a set with some left serving a language with room (as many
            as the path allows), moving others along it to another of their languages.
            One search from every such set at once: a failed one ends the phase."""
            parent: dict[int, tuple[int, int | None]] = {}
            frontier = []
            for start, wanted in enumerate(sources):
                if left[start]:
                    for lang in wanted:
                        if lang not in parent:
                            parent[lang] = (start, None)
                            frontier.append(lang)
            while frontier:
                reached = []
                for lang in frontier:
                    if used[lang] < cap[lang]:
                        amount = cap[lang] - used[lang]
                        step: int | None = lang
                        while step is not None:
                            j, previous = parent[step]
                            amount = min(amount, left[j] if previous is None else flow[j][previous])
                            step = previous
                        used[lang] += amount
                        step = lang
                        while step is not None:
                            j, previous = parent[step]
                            flow[j][step] += amount
                            serving[step].add(j)
                            if previous is None:
                                left[j] -= amount
                            else:
                                flow[j][previous] -= amount
                                if not flow[j][previous]:
                                    serving[previous].discard(j)
                            step = previous
                        return True
                    for j in serving[lang]:
                        for other in sources[j]:
                            if other not in parent:
                                parent[other] = (j, lang)
                                reached.append(other)
                frontier = reached
            return False

        floors = problem.floor
        for cap in (
            [max(0, min(floors[lang], need[lang]) - staffed[lang]) for lang in range(len(need))],
            [max(0, need[lang] - staffed[lang]) for lang in range(len(need))],
        ):
            if not any(cap):
                continue
            for start, wanted in enumerate(sources):  # direct first: most need no path
                have = left[start]
                for lang in wanted:
                    if not have:
                        break
                    room = cap[lang] - used[lang]
                    if room > 0:
                        amount = have if have < room else room
                        flow[start][lang] += amount
                        serving[lang].add(start)
                        used[lang] += amount
                        have -= amount
                left[start] = have
            while augment(cap):
                pass
        return [s + x for s, x in zip(staffed, used, strict=True)]

    def _wanted_by_group(self, t: int) -> list[tuple[int, ...]]:
        """Each language set's languages wanted at t (remembered: the same intervals are
        weighed again and again)."""
        known = self.wanted_by_group[t]
        if known is None:
            wanted = set(self.wanted[t])
            known = [tuple(lang for lang in group if lang in wanted) for group in self.groups]
            self.wanted_by_group[t] = known
        return known

    def _cost(self, t: int) -> int:
        """Floor gaps (at FLOOR_COST) and shortfall at t, remembered per presence: the
        moves a step weighs try the same few presences again and again."""
        key = tuple(self.present[t])
        known = self.cost_cache[t].get(key)
        if known is None:
            if self.cached >= COST_CACHE_ENTRIES:
                self.cost_cache = [{} for _ in self.cost_cache]
                self.cached = 0
            known = self.cost_cache[t][key] = self._uncached_cost(t)
            self.cached += 1
        return known

    def _uncached_cost(self, t: int) -> int:
        problem = self.problem
        staffed = self._staffed(t)
        total = 0
        for lang in self.wanted[t]:
            need = problem.required[lang][t]
            have = staffed[lang]
            if have < need:
                total += need - have
            if have < problem.floor[lang]:
                total += FLOOR_COST
        return total

    def _delta(self, changes: list[tuple[int, int, int]]) -> tuple[int, dict[int, int]]:
        """Coverage cost change of applying (agent, option, +1/-1) changes, and the
        new cost of each touched interval."""
        options = self.problem.options
        touched: set[int] = set()
        for a, o, sign in changes:
            if self.group_of[a] >= 0:
                option = options[o]
                touched.update(range(option.first_interval, option.last_interval + 1))
                self._shift(a, o, sign)
        new = {t: self._cost(t) for t in touched}
        for a, o, sign in changes:
            self._shift(a, o, -sign)
        return sum(new[t] - self.cost[t] for t in touched), new

    def _fits_after(self, a: int, removed: list[int], added: int) -> bool:
        state = self.states[a]
        options = self.problem.options
        for o in removed:
            state.remove(options[o], self.block_of[options[o].day])
        option = options[added]
        fits = state.fits(option, self.block_of[option.day])
        for o in removed:
            state.take(options[o], self.block_of[options[o].day])
        return fits

    def _moves(self, a: int, o: int):
        """Ways for agent a to work option o: (removed options, added option)."""
        state = self.states[a]
        options = self.problem.options
        day = options[o].day
        old = state.by_day.get(day)
        base = []
        if old is not None:
            old_index = self._index_of(a, day)
            if old_index == o or (a, old_index) in self.locked:
                return
            base = [old_index]
        if self._fits_after(a, base, o):
            yield base, o
            return
        block = self.block_of[day]
        for other_day in list(state.by_day):
            if other_day == day:
                continue
            if self.block_of[other_day] != block and abs(other_day - day) > 2:
                continue
            other = self._index_of(a, other_day)
            if (a, other) in self.locked:
                continue
            if self._fits_after(a, [*base, other], o):
                yield [*base, other], o

    def _index_of(self, a: int, day: int) -> int:
        return self.chosen_index[a][day]

    def coverage_terms(self) -> tuple[int, int]:
        """(floor gaps, shortfall) of the roster as it stands."""
        return (
            sum(cost // FLOOR_COST for cost in self.cost),
            sum(cost % FLOOR_COST for cost in self.cost),
        )

    def _tick_when_due(self, tick: Callable[[int, int], None] | None, due: float) -> float:
        """Tells ``tick`` the coverage terms once ``due`` has passed; the next due time."""
        if tick is None or time.monotonic() < due:
            return due
        tick(*self.coverage_terms())
        return time.monotonic() + TICK_SECONDS

    def run(
        self,
        deadline: float,
        max_steps: int | None = None,
        done=None,
        tick: Callable[[int, int], None] | None = None,
    ) -> set[tuple[int, int]]:
        """Steps until the deadline, ``max_steps``, a long stall, or ``done()``
        returning something (checked every 200 steps); ``tick(floor_gaps, shortfall)``
        every ``TICK_SECONDS`` meanwhile."""
        problem = self.problem
        options = problem.options
        rng = self.rng
        steps = 0
        short_list: list[int] = []
        floor_list: list[int] = []
        last_gain = last_floor_gain = 0
        next_tick = time.monotonic() + TICK_SECONDS
        while time.monotonic() < deadline and (max_steps is None or steps < max_steps):
            if steps - last_gain > STALL_STEPS:
                break
            if steps % 200 == 0 and done is not None and done() is not None:
                break
            if steps % 200 == 0:
                next_tick = self._tick_when_due(tick, next_tick)
            if steps % 200 == 0 or not short_list:
                short_list = [t for t, c in enumerate(self.cost) if c > 0]
                floor_list = [t for t in short_list if self.cost[t] >= FLOOR_COST]
                if not short_list:
                    break
            steps += 1
            at_floor = (
                bool(floor_list)
                and steps - last_floor_gain <= FLOOR_STALL_STEPS
                and rng.random() < FLOOR_TARGET_SHARE
            )
            t = rng.choice(floor_list if at_floor else short_list)
            if self.cost[t] == 0:
                continue
            staffed = self._staffed(t)
            short = [
                lang
                for lang in self.wanted[t]
                if staffed[lang] < (problem.floor[lang] if at_floor else problem.required[lang][t])
            ]
            if not short:
                continue
            lang = rng.choice(short)
            # sometimes any agent: one who frees a multilingual colleague for the language
            wide = rng.random() < WIDE_SHARE
            candidates = [
                (a, o)
                for o in self.options_at[t]
                for a in self.agents_of[o]
                if (wide or lang in problem.agents[a].languages)
                and self.chosen_index[a].get(options[o].day) != o
            ]
            if len(candidates) > CANDIDATES_PER_STEP:
                candidates = rng.sample(candidates, CANDIDATES_PER_STEP)
            move = None
            for a, o in candidates:
                for removed, added in self._moves(a, o):
                    changes = [(a, r, -1) for r in removed] + [(a, added, 1)]
                    delta, new = self._delta(changes)
                    minutes = options[added].minutes - sum(options[r].minutes for r in removed)
                    score = delta * WEIGHTS.shortfall - minutes * WEIGHTS.unscheduled_minute
                    if move is None or score < move[0]:
                        move = (score, a, removed, added, new)
            if move is None:
                continue
            score, a, removed, added, new = move
            if score > 0 or (score == 0 and rng.random() > SIDEWAYS_SHARE):
                continue
            self._apply(a, removed, added, new)
            if score < 0:
                last_gain = steps
            if score <= -FLOOR_COST * WEIGHTS.shortfall // 2:  # a floor gap closed
                last_floor_gain = steps
        return {(a, o) for a, by_day in enumerate(self.chosen_index) for o in by_day.values()}

    def _apply(self, a: int, removed: list[int], added: int, new: dict[int, int]) -> None:
        options = self.problem.options
        state = self.states[a]
        for r in removed:
            state.remove(options[r], self.block_of[options[r].day])
            self._shift(a, r, -1)
            del self.chosen_index[a][options[r].day]
        option = options[added]
        state.take(option, self.block_of[option.day])
        self._shift(a, added, 1)
        self.chosen_index[a][option.day] = added
        for t, c in new.items():
            self.cost[t] = c


def local_search(
    problem: SolverInput,
    chosen: set[tuple[int, int]],
    deadline: float,
    seed: int,
    max_steps: int | None = None,
    done=None,
    tick: Callable[[int, int], None] | None = None,
) -> set[tuple[int, int]]:
    return LocalSearch(problem, chosen, seed).run(deadline, max_steps, done, tick)
