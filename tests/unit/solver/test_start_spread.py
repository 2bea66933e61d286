"""The optional start-time spread rule: a tempting roster breaks it (the only
speaker could cover a morning and a night in one week), the solver must not."""

from dataclasses import replace

from solver.rules.start_spread import clock_distance
from tests.unit.solver.tiny import agent, option, problem, solve


def test_clock_distance_goes_the_short_way_round_midnight():
    assert clock_distance(22 * 60, 60) == 180
    assert clock_distance(7 * 60, 22 * 60) == 9 * 60
    assert clock_distance(0, 12 * 60) == 12 * 60


def _morning_and_night_week(spread_hours: int | None):
    # day d: a 06:00 shift (option 2d) and a 20:00 shift (option 2d + 1)
    options = [o for d in range(7) for o in (option(d, 6, 8), option(d, 20, 8))]
    required = [[1] * (7 * 24)]  # every hour needs the one agent: both kinds are worth as much
    worker = agent(range(14), weekly_hours=40, rest_hours=11)
    rules = replace(
        worker.rules,
        max_start_spread_minutes=None if spread_hours is None else spread_hours * 60,
    )
    return problem(7, options, [replace(worker, rules=rules)], required)


def test_without_the_rule_the_solver_mixes_mornings_and_nights():
    p = _morning_and_night_week(None)
    result = solve(p, seconds=5)
    assert len(result.chosen) == 5


def test_with_the_rule_every_start_of_the_week_is_within_the_bound():
    p = _morning_and_night_week(4)
    result = solve(p, seconds=5)
    starts = {p.options[o].start_local_minute_of_day for _, o in result.chosen}
    assert len(result.chosen) == 5  # still works his hours
    assert all(clock_distance(a, b) <= 4 * 60 for a in starts for b in starts)


def test_tempting_coverage_does_not_break_the_rule():
    # mornings are needed on days 0-2, nights on days 3-6 (the last night runs past the
    # horizon: 4 h count): 52 agent-intervals. Without the rule the best week takes 3
    # mornings and 2 nights (shortfall 12); with a 2 h bound one kind only: 4 nights
    # and a useless fifth shift (shortfall 24) beat 3 mornings (28)
    options = [o for d in range(7) for o in (option(d, 6, 8), option(d, 20, 8))]
    required = [0] * (7 * 24)
    for d in range(7):
        first = 6 if d < 3 else 20
        for h in range(d * 24 + first, min(7 * 24, d * 24 + first + 8)):
            required[h] = 1
    worker = agent(range(14), weekly_hours=40, rest_hours=11)
    free = problem(7, options, [worker], [required])
    result = solve(free, seconds=5)
    assert result.shortfall == 12
    assert len({free.options[o].start_local_minute_of_day for _, o in result.chosen}) == 2
    bounded_rules = replace(worker.rules, max_start_spread_minutes=120)
    bounded = problem(7, options, [replace(worker, rules=bounded_rules)], [required])
    result = solve(bounded, seconds=5)
    starts = {bounded.options[o].start_local_minute_of_day for _, o in result.chosen}
    assert starts == {20 * 60}
    assert result.shortfall == 24
