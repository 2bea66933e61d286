"""The greedy start (solver/greedy.py): its incremental gains pick the roster the
documented rule picks when every gain is computed afresh."""

import random
from dataclasses import replace

from solver.greedy import FLOOR_VALUE, greedy_roster
from solver.input import SolverInput
from solver.schedule import AgentSchedule
from tests.unit.solver.tiny import agent, option, problem, valid_roster


def _generated(seed: int) -> SolverInput:
    """A small random problem: two languages (some agents speak both, in either
    order), floors, history shifts running into the first hours, and a distinct
    preference cost on every (agent, option), so no two options ever tie."""
    rng = random.Random(seed)
    days = rng.choice((3, 5, 9))
    options = [
        option(d, start, rng.choice((4, 6, 8)))
        for d in range(days)
        for start in sorted(rng.sample(range(0, 20, 2), 3))
    ]
    agents = [
        agent(
            [o for o in range(len(options)) if rng.random() < 0.7],
            languages=rng.choice(((0,), (1,), (0, 1), (1, 0))),
            weekly_hours=rng.choice((16, 24, 40)),
            rest_hours=rng.choice((0, 11)),
            max_consecutive=rng.choice((2, 3, 5)),
            days_off=rng.choice((0, 1, 2)),
        )
        for _ in range(rng.randint(4, 7))
    ]
    pairs = [(a, o) for a, worker in enumerate(agents) for o in worker.options]
    costs = rng.sample(range(1, len(pairs) + 1), len(pairs))
    agents = [
        replace(
            worker,
            preference_costs=tuple(
                (o, cost) for (b, o), cost in zip(pairs, costs, strict=True) if b == a
            ),
        )
        for a, worker in enumerate(agents)
    ]
    required = [[rng.choice((0, 1, 1, 2, 3)) for _ in range(days * 24)] for _ in range(2)]
    floor = rng.choice(((1, 0), (1, 1), (0, 2)))
    history = tuple((t, rng.choice(((0,), (1,), (0, 1))), rng.randint(1, 2)) for t in range(4))
    return replace(problem(days, options, agents, required, floor), history_present=history)


def _reference_greedy(p: SolverInput) -> list[tuple[int, int]]:
    """The documented rule, every gain recomputed from scratch at every step: take the
    (agent, option) that removes the most uncovered demand (an interval below its floor
    worth FLOOR_VALUE + 1, below its requirement 1), then the one against fewer of his
    preferences, then the one over more demand, among those that keep every hard rule;
    each present agent serves the language that needs him most."""
    staffed = [[0] * p.interval_count for _ in p.languages]

    def value(lang: int, t: int) -> int:
        have = staffed[lang][t]
        if have >= p.required[lang][t]:
            return 0
        return FLOOR_VALUE + 1 if have < p.floor[lang] else 1

    def serve(languages: tuple[int, ...], t: int) -> None:
        best = max(languages, key=lambda x: (value(x, t), p.required[x][t]))
        if value(best, t) > 0:
            staffed[best][t] += 1

    for t, group, count in p.history_present:
        for _ in range(count):
            serve(group, t)
    block_of = p.block_of_day
    states = [AgentSchedule(worker, p) for worker in p.agents]
    unwanted = [dict(worker.preference_costs) for worker in p.agents]

    def key(pair: tuple[int, int]) -> tuple[int, int, int, int, int]:
        a, o = pair
        languages = p.agents[a].languages
        span = range(p.options[o].first_interval, p.options[o].last_interval + 1)
        demand = sum(max(value(x, t) for x in languages) for t in span)
        busy = sum(max(p.required[x][t] for x in languages) for t in span)
        return -demand, unwanted[a].get(o, 0), -busy, a, o

    left = {(a, o) for a, worker in enumerate(p.agents) for o in worker.options}
    chosen = []
    while True:
        left = {(a, o) for a, o in left if states[a].fits(p.options[o], block_of[p.options[o].day])}
        if not left:
            return sorted(chosen)
        a, o = min(left, key=key)
        left.remove((a, o))
        option_ = p.options[o]
        states[a].take(option_, block_of[option_.day])
        chosen.append((a, o))
        for t in range(option_.first_interval, option_.last_interval + 1):
            serve(p.agents[a].languages, t)


def test_incremental_gains_pick_the_same_roster_as_gains_recomputed_every_step() -> None:
    """The greedy's per-interval worth, updated only where a taken shift brings a
    language to its floor or requirement, picks exactly the roster of the rule."""
    for seed in range(12):
        p = _generated(seed)
        expected = _reference_greedy(p)
        assert valid_roster(p, expected), seed
        assert greedy_roster(p).chosen == expected, seed
