"""solver.evaluate keeps each interval's allocation of the last roster it evaluated on a
problem and allocates again only the intervals whose agents changed: the terms after any
series of edits equal those of a fresh evaluation (and the greedy's allocated roster)."""

from __future__ import annotations

import random

from solver import evaluate
from solver.evaluate import objective_terms
from solver.greedy import allocated_roster, greedy_roster
from tests.unit.solver.tiny import agent, option, problem


def multilingual_week():
    options = [option(d, s, 8) for d in range(7) for s in (6, 14, 22)]
    speaks = [(0,), (1,), (0, 1), (1, 2), (0, 2), (2,)]
    agents = [
        agent(
            range(len(options)),
            languages=speaks[i % len(speaks)],
            weekly_hours=40,
            rest_hours=11,
            max_consecutive=5,
            days_off=2,
        )
        for i in range(10)
    ]
    demand = [([1] * 6 + [3] * 12 + [1] * 6) * 7, [2] * 168, ([0] * 8 + [2] * 16) * 7]
    return problem(7, options, agents, required=demand, floor=(1, 0, 1))


def fresh_terms(p, chosen):
    evaluate._kept.clear()
    return objective_terms(p, chosen)


def test_terms_after_edits_equal_a_fresh_evaluation():
    p = multilingual_week()
    chosen = set(greedy_roster(p).chosen)
    every = [(a, o) for a in range(len(p.agents)) for o in range(len(p.options))]
    pick = random.Random(5)
    for step in range(40):
        if chosen and step % 2 == 0:
            chosen.discard(pick.choice(sorted(chosen)))
        else:
            chosen.add(pick.choice(every))
        roster = sorted(chosen)
        kept = objective_terms(p, roster)
        staffed = evaluate._staffed(p, roster)
        assert staffed == allocated_roster(p, roster).staffed
        assert kept == fresh_terms(p, roster)
        objective_terms(p, roster)  # seed the kept allocation for the next step


def test_problems_kept_apart_and_bounded():
    first, second = multilingual_week(), multilingual_week()
    roster = sorted(greedy_roster(first).chosen)
    assert objective_terms(first, roster) == objective_terms(second, roster)
    for _ in range(evaluate.PROBLEMS_KEPT + 3):
        objective_terms(multilingual_week(), roster)
    assert len(evaluate._kept) <= evaluate.PROBLEMS_KEPT
