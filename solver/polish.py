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
3. he works it on a date of the same week he has off.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from solver.input import SolverInput
from solver.local_search import LocalSearch
from solver.rules.penalty import WEIGHTS

Change = tuple[int, list[int], int]
"""(agent, options he gives up, option he takes)."""


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

    def _needs_care(self, a: int) -> bool:
        """Whether something in his roster could be softer: an unmet preference or a
        week with more than one start time."""
        unwanted = self.unwanted[a]
        if any(unwanted.get(o) for o in self.chosen_index[a].values()):
            return True
        return any(len(starts) > 1 for starts in self.states[a].block_starts.values())

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
        return delta

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

    def _best_move(self, a: int, day: int) -> tuple[int, list[Change], dict[int, int]] | None:
        best = None
        for changes in self._candidates(a, day):
            flat = [(x, r, -1) for x, removed, _ in changes for r in removed]
            flat += [(x, added, 1) for x, _, added in changes]
            coverage, new = self._delta(flat)
            if coverage > 0:
                continue
            score = coverage * WEIGHTS.shortfall + self._soft_delta(changes)
            if score < 0 and (best is None or score < best[0]):
                best = (score, changes, new)
        return best

    def polish(self, deadline: float, max_steps: int | None = None) -> set[tuple[int, int]]:
        rng = self.rng
        steps = 0
        while time.monotonic() < deadline and (max_steps is None or steps < max_steps):
            caring = [a for a in range(len(self.problem.agents)) if self._needs_care(a)]
            if not caring:
                break
            improved = False
            rng.shuffle(caring)
            for a in caring:
                if time.monotonic() >= deadline or (max_steps is not None and steps >= max_steps):
                    break
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
) -> set[tuple[int, int]]:
    """``chosen`` with softer patterns and the same or better coverage."""
    return Polish(problem, chosen, seed).polish(deadline, max_steps)
