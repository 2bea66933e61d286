"""The last step of a solve: steadier weeks and more preferences granted, never at the
cost of coverage.

The search before it chases shortfall and leaves agents' patterns as they fall
(early, evening, night in one week). Here every move keeps each hard rule and
never raises the coverage cost (floors, then shortfall); it is taken when it lowers
the soft score: unmet preferences, further start times in a week, idle contract
minutes and, on a re-solve, changes to the published roster, at their objective
weights. Three moves for one agent's shift on one date:

1. he works another of his shifts that date (another start time);
2. he trades that date's shift with a colleague of the same site and languages
   (coverage exactly unchanged);
3. he works it on a date of the same week he has off;
4. for fairness, he and a speaker of one of his languages (at any site) trade kinds
   that date: he takes another shift of his own (a day for his night), the colleague
   one of hers of the kind he gave up, where coverage allows.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable

from solver.input import SolverInput
from solver.local_search import TICK_SECONDS, LocalSearch
from solver.rules.fairness import UNSOCIAL_KINDS, fairness_groups
from solver.rules.penalty import WEIGHTS

Change = tuple[int, list[int], int]
"""(agent, options he gives up, option he takes)."""
PAIR_PEERS = 8
"""Colleagues tried for one fairness trade (a sample: a language may have hundreds)."""


class Polish(LocalSearch):
    def __init__(self, problem: SolverInput, chosen: set[tuple[int, int]], seed: int) -> None:
        super().__init__(problem, chosen, seed)
        self.unwanted = [dict(agent.preference_costs) for agent in problem.agents]
        self.peers: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
        self.options_on: dict[tuple[int, int], list[int]] = defaultdict(list)
        for a, agent in enumerate(problem.agents):
            self.peers[agent.site, agent.languages].append(a)
            for o in agent.options:
                self.options_on[a, problem.options[o].day].append(o)
        self.may_work = [set(agent.options) for agent in problem.agents]
        # fairness: unsocial shifts per agent and kind, and each group's histogram of them
        self.fair_groups = fairness_groups(problem)
        self.groups_of: dict[int, list[tuple]] = defaultdict(list)
        for key, members in self.fair_groups.items():
            for a in members:
                self.groups_of[a].append(key)
        self.unsocial: dict[tuple[int, str], int] = defaultdict(int)
        for a, by_day in enumerate(self.chosen_index):
            for o in by_day.values():
                for kind in self._kinds(o):
                    self.unsocial[a, kind] += 1
        self.histogram = {
            key: Counter(self.unsocial[a, key[2]] for a in members)
            for key, members in self.fair_groups.items()
        }
        self.language_peers: dict[int, list[int]] = defaultdict(list)
        for key, members in self.fair_groups.items():
            if key[0] == "language":
                for a in members:
                    self.language_peers[a].extend(b for b in members if b != a)

    def _kinds(self, o: int) -> list[str]:
        option = self.problem.options[o]
        return [kind for kind in UNSOCIAL_KINDS if getattr(option, kind)]

    def _unfair(self, a: int) -> bool:
        """He has the most unsocial shifts of some kind in a group where they differ."""
        for key in self.groups_of[a]:
            counts = self.histogram[key]
            if len(counts) > 1 and self.unsocial[a, key[2]] == max(counts):
                return True
        return False

    def _fair_delta(self, changes: list[Change]) -> int:
        """Change of the summed spreads (most minus fewest) of the groups touched."""
        moved: dict[tuple[int, str], int] = defaultdict(int)
        for a, removed, added in changes:
            for r in removed:
                for kind in self._kinds(r):
                    moved[a, kind] -= 1
            for kind in self._kinds(added):
                moved[a, kind] += 1
        touched: dict[tuple, Counter[int]] = {}
        for (a, kind), step in moved.items():
            if not step:
                continue
            for key in self.groups_of[a]:
                if key[2] != kind:
                    continue
                histogram = touched.setdefault(key, Counter(self.histogram[key]))
                histogram[self.unsocial[a, kind]] -= 1
                histogram[self.unsocial[a, kind] + step] += 1
        delta = 0
        for key, after in touched.items():
            before = self.histogram[key]
            present = [count for count, n in after.items() if n > 0]
            delta += (max(present) - min(present)) - (max(before) - min(before))
        return delta

    def _record_fairness(self, changes: list[Change]) -> None:
        for a, removed, added in changes:
            steps: dict[str, int] = defaultdict(int)
            for r in removed:
                for kind in self._kinds(r):
                    steps[kind] -= 1
            for kind in self._kinds(added):
                steps[kind] += 1
            for kind, step in steps.items():
                if not step:
                    continue
                for key in self.groups_of[a]:
                    if key[2] == kind:
                        histogram = self.histogram[key]
                        histogram[self.unsocial[a, kind]] -= 1
                        if not histogram[self.unsocial[a, kind]]:
                            del histogram[self.unsocial[a, kind]]
                        histogram[self.unsocial[a, kind] + step] += 1
                self.unsocial[a, kind] += step

    def _needs_care(self, a: int) -> bool:
        """Whether something in his roster could be softer: an unmet preference, a week
        with more than one start time, or the most unsocial shifts of a fairness group."""
        unwanted = self.unwanted[a]
        if any(unwanted.get(o) for o in self.chosen_index[a].values()):
            return True
        if any(len(starts) > 1 for starts in self.states[a].block_starts.values()):
            return True
        return self._unfair(a)

    def _soft_delta(self, changes: list[Change]) -> int:
        """Change of the soft score if every (agent, removed, added) happened."""
        options = self.problem.options
        delta = 0
        for a, removed, added in changes:
            unwanted = self.unwanted[a]
            delta += WEIGHTS.unmet_preference * (
                unwanted.get(added, 0) - sum(unwanted.get(r, 0) for r in removed)
            )
            minutes = options[added].minutes - sum(options[r].minutes for r in removed)
            delta -= WEIGHTS.unscheduled_minute * minutes
            delta += WEIGHTS.start_time_change * self._starts_delta(a, removed, added)
            if self.problem.previous:
                previous = self.problem.previous
                delta += WEIGHTS.roster_change * (
                    sum(1 if (a, r) in previous else -1 for r in removed)
                    + (-1 if (a, added) in previous else 1)
                )
        return delta + WEIGHTS.unfair_shift * self._fair_delta(changes)

    def _starts_delta(self, a: int, removed: list[int], added: int) -> int:
        options = self.problem.options
        state = self.states[a]
        blocks = {self.block_of[options[o].day] for o in [*removed, added]}
        delta = 0
        for block in blocks:
            starts = Counter(state.block_starts[block])
            before = max(0, len(starts) - 1)
            for r in removed:
                if self.block_of[options[r].day] == block:
                    starts[options[r].start_local_minute_of_day] -= 1
            if self.block_of[options[added].day] == block:
                starts[options[added].start_local_minute_of_day] += 1
            after = max(0, sum(1 for count in starts.values() if count > 0) - 1)
            delta += after - before
        return delta

    def _candidates(self, a: int, day: int):
        """The three kinds of move for agent a's shift on ``day``, as lists of changes."""
        problem = self.problem
        o = self.chosen_index[a][day]
        for other in self.options_on[a, day]:
            if other != o and self._fits_after(a, [o], other):
                yield [(a, [o], other)]
        agent = problem.agents[a]
        for b in self.peers[agent.site, agent.languages]:
            theirs = self.chosen_index[b].get(day)
            if (
                b == a
                or theirs is None
                or theirs == o
                or (b, theirs) in self.locked
                or theirs not in self.may_work[a]
                or o not in self.may_work[b]
            ):
                continue
            if self._fits_after(a, [o], theirs) and self._fits_after(b, [theirs], o):
                yield [(a, [o], theirs), (b, [theirs], o)]
        block = self.block_of[day]
        for other_day in problem.blocks[block]:
            if other_day == day or other_day in self.chosen_index[a]:
                continue
            for other in self.options_on[a, other_day]:
                if self._fits_after(a, [o], other):
                    yield [(a, [o], other)]

    def _fairness_trades(self, a: int, day: int):
        """Move 4: he gives up an unsocial kind that date, a colleague of his language
        takes one; each keeps to his own site's shifts and every rule."""
        o = self.chosen_index[a][day]
        kinds = set(self._kinds(o))
        if not kinds or not self._unfair(a):
            return
        peers = self.language_peers.get(a, [])
        if len(peers) > PAIR_PEERS:
            peers = self.rng.sample(peers, PAIR_PEERS)
        mine = [
            x
            for x in self.options_on[a, day]
            if x != o and not kinds & set(self._kinds(x)) and self._fits_after(a, [o], x)
        ]
        for b in peers:
            theirs = self.chosen_index[b].get(day)
            if theirs is None or (b, theirs) in self.locked or kinds & set(self._kinds(theirs)):
                continue
            for x in mine:
                for y in self.options_on[b, day]:
                    if kinds & set(self._kinds(y)) and self._fits_after(b, [theirs], y):
                        yield [(a, [o], x), (b, [theirs], y)]

    def _best_move(self, a: int, day: int) -> tuple[int, list[Change], dict[int, int]] | None:
        best = None
        for changes in [*self._candidates(a, day), *self._fairness_trades(a, day)]:
            flat = [(x, r, -1) for x, removed, _ in changes for r in removed]
            flat += [(x, added, 1) for x, _, added in changes]
            coverage, new = self._delta(flat)
            if coverage > 0:
                continue
            score = coverage * WEIGHTS.shortfall + self._soft_delta(changes)
            if score < 0 and (best is None or score < best[0]):
                best = (score, changes, new)
        return best

    def polish(
        self,
        deadline: float,
        max_steps: int | None = None,
        tick: Callable[[int, int], None] | None = None,
    ) -> set[tuple[int, int]]:
        """``tick(floor_gaps, shortfall)`` every ``TICK_SECONDS`` while it runs."""
        rng = self.rng
        steps = 0
        next_tick = time.monotonic() + TICK_SECONDS
        while time.monotonic() < deadline and (max_steps is None or steps < max_steps):
            caring = [a for a in range(len(self.problem.agents)) if self._needs_care(a)]
            if not caring:
                break
            improved = False
            rng.shuffle(caring)
            for a in caring:
                if time.monotonic() >= deadline or (max_steps is not None and steps >= max_steps):
                    break
                next_tick = self._tick_when_due(tick, next_tick)
                for day in sorted(self.chosen_index[a]):
                    if day not in self.chosen_index[a]:
                        continue  # moved away by an earlier move of this pass
                    if (a, self.chosen_index[a][day]) in self.locked:
                        continue
                    steps += 1
                    move = self._best_move(a, day)
                    if move is None:
                        continue
                    _, changes, new = move
                    self._record_fairness(changes)
                    for i, (x, removed, added) in enumerate(changes):
                        last = i == len(changes) - 1
                        self._apply(x, removed, added, new if last else {})
                    improved = True
            if not improved:
                break
        return {(a, o) for a, by_day in enumerate(self.chosen_index) for o in by_day.values()}


def polish(
    problem: SolverInput,
    chosen: set[tuple[int, int]],
    deadline: float,
    seed: int,
    max_steps: int | None = None,
    tick: Callable[[int, int], None] | None = None,
) -> set[tuple[int, int]]:
    """``chosen`` with softer patterns and the same or better coverage."""
    return Polish(problem, chosen, seed).polish(deadline, max_steps, tick)
