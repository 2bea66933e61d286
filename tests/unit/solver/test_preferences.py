"""Agents' preferences are granted where they cost no coverage, never where they do;
the polish keeps every rule and never loses coverage."""

from __future__ import annotations

import random
import time
from dataclasses import replace

from solver.evaluate import objective_terms
from solver.greedy import greedy_roster
from solver.polish import polish
from tests.unit.solver.tiny import agent, option, problem, solve, valid_roster


def _week(required_hours: list[int]):
    """One agent, a 06:00 shift each of 7 days (option = day), 40 h: 5 of 7 days."""
    options = [option(d, 6, 8) for d in range(7)]
    required = [0] * (7 * 24)
    for h in required_hours:
        required[h] = 1
    return options, [required]


def test_a_wish_is_granted_when_it_costs_no_coverage():
    options, required = _week([d * 24 + h for d in range(7) for h in range(6, 14)])
    # every day is worth as much: he would rather not work days 0 and 1
    worker = replace(agent(range(7), weekly_hours=40), preference_costs=((0, 1), (1, 1)))
    p = problem(7, options, [worker], required)
    result = solve(p, seconds=5)
    assert sorted(p.options[o].day for _, o in result.chosen) == [2, 3, 4, 5, 6]
    assert result.penalties["unmet_preferences"] == 0
    assert result.shortfall == 2 * 8


def test_a_wish_never_keeps_a_customer_waiting():
    # only days 0-4 have demand, and he would rather not work days 0 and 1
    options, required = _week([d * 24 + h for d in range(5) for h in range(6, 14)])
    worker = replace(agent(range(7), weekly_hours=40), preference_costs=((0, 1), (1, 1)))
    p = problem(7, options, [worker], required)
    result = solve(p, seconds=5)
    assert sorted(p.options[o].day for _, o in result.chosen) == [0, 1, 2, 3, 4]
    assert result.shortfall == 0
    assert result.penalties["unmet_preferences"] == 2


def _random_problem(seed: int):
    rng = random.Random(seed)
    days = 7
    options = [option(d, h, 8) for d in range(days) for h in (6, 9, 14, 22)]
    agents = []
    for _ in range(8):
        costs = tuple((o, 1) for o in range(len(options)) if rng.random() < 0.3)
        base = agent(
            range(len(options)),
            languages=(rng.randrange(2),),
            weekly_hours=rng.choice((24, 32, 40)),
            rest_hours=11,
            max_consecutive=5,
            days_off=2,
        )
        spread = rng.choice((None, 240, 480))
        rules = replace(base.rules, max_start_spread_minutes=spread)
        agents.append(replace(base, rules=rules, preference_costs=costs))
    required = [[rng.choice((0, 1, 2)) for _ in range(days * 24)] for _ in range(2)]
    return problem(days, options, agents, required)


def test_the_polish_keeps_every_rule_and_never_loses_coverage():
    soft_before = soft_after = 0
    for seed in range(8):
        p = _random_problem(seed)
        start = set(greedy_roster(p).chosen)
        assert valid_roster(p, start)
        before = objective_terms(p, sorted(start))
        after_roster = polish(p, start, time.monotonic() + 10, seed)
        after = objective_terms(p, sorted(after_roster))
        assert valid_roster(p, after_roster)
        assert (after["floor_gaps"], after["shortfall"]) <= (
            before["floor_gaps"],
            before["shortfall"],
        )
        soft = ("unmet_preferences", "start_time_changes")
        assert after["shortfall"] < before["shortfall"] or sum(after[k] for k in soft) <= sum(
            before[k] for k in soft
        )
        soft_before += sum(before[k] for k in soft)
        soft_after += sum(after[k] for k in soft)
    assert soft_after < soft_before  # the greedy's rosters leave it something to grant
