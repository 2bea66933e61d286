"""Contract hours cap every 7-day block; a partial last block too."""

from tests.unit.solver.tiny import agent, option, problem, solve


def minutes_worked(result, p, days):
    return sum(p.options[o].minutes for _, o in result.chosen if p.options[o].day in days)


def test_block_hours_never_exceed_contract():
    options = [option(d, 8, 8) for d in range(9)]
    p = problem(9, options, [agent(range(9), weekly_hours=20)])
    result = solve(p)
    assert minutes_worked(result, p, range(7)) == 16 * 60  # two 8 h shifts; a third breaks 20 h
    assert minutes_worked(result, p, range(7, 9)) == 16 * 60  # partial block: same cap


def test_reachable_minutes_know_what_shift_lengths_add_up_to():
    from solver.rules.weekly_hours import reachable_minutes

    week = [{510}] * 7  # 8.5 h shifts every date
    assert reachable_minutes(week, 40 * 60, 5) == 4 * 510  # 34 h: a fifth would make 42.5
    assert reachable_minutes([{480}] * 7, 40 * 60, 5) == 40 * 60
    assert reachable_minutes([{480, 540}] * 7, 40 * 60, 4) == 4 * 540  # four dates at most
    assert reachable_minutes([set()] * 7, 40 * 60, 5) == 0


def test_bound_counts_only_the_hours_shift_lengths_can_reach():
    """One agent, demand around the clock, only 8.5 h shifts, a 40 h contract: four
    shifts (34 h) is the best any roster does. The relaxation that counts the
    contract's 40 h proves 12 agent-intervals less than what is possible; the bound
    counts the 34 h and is exact, and the solve proves its roster optimal."""
    from solver.lp_bound import lp_bound

    options = [option(d, 8, 8.5) for d in range(7)]
    p = problem(7, options, [agent(range(7), weekly_hours=40, days_off=2)], required=[[1] * 168])
    best = 168 - 4 * 8  # each 8.5 h shift covers 8 whole hourly intervals
    assert lp_bound(p, time_limit=10).bound == best
    result = solve(p)
    assert result.shortfall == best and result.status == "optimal"


def test_length_hull_rows_are_the_facets_of_whole_weeks():
    """8 h nights and 8.5 h days on a 40 h contract: five nights or four days,
    never 4.7 days as the minutes row alone allows."""
    from solver.rules.weekly_hours import length_hull_rows

    rows = {
        tuple(sorted(w.items())): limit for w, limit in length_hull_rows([{480, 510}] * 7, 2400, 5)
    }
    assert rows[((510, 1),)] == 4  # at most four 8.5 h shifts
    assert rows[((480, 4), (510, 5))] == 20  # through (5 nights, 0 days) and (0, 4)
    assert length_hull_rows([{510}] * 7, 2400, 5) == ()  # one length: the minutes row is exact


def test_length_hull_rows_hold_for_every_week_and_each_is_reached():
    """Every week of whole shifts (one a date, within the contract and the dates)
    keeps every row, and each row is met with equality by some week: valid and as
    tight as a row over these counts can be."""
    import itertools
    import random

    from solver.rules.weekly_hours import length_hull_rows

    rng = random.Random(3)
    for _ in range(60):
        pool = rng.sample([360, 420, 480, 510, 540, 600], rng.choice([2, 3]))
        days = [set(rng.sample(pool, rng.randint(0, len(pool)))) for _ in range(7)]
        cap, max_days = rng.choice([1200, 1440, 1920, 2400, 2880]), rng.randint(3, 6)
        weeks = [
            week
            for week in itertools.product(*[[0, *sorted(day)] for day in days])
            if sum(week) <= cap and sum(1 for m in week if m) <= max_days
        ]
        rows = length_hull_rows(days, cap, max_days)
        # two lengths or more: at least each length's own count row
        assert len(rows) >= (2 if len(set().union(*days)) >= 2 else 0)
        for weights, limit in rows:
            values = [sum(weights.get(m, 0) for m in week if m) for week in weeks]
            assert max(values) == limit, (days, cap, max_days, weights)


def test_bound_knows_a_contract_holds_four_days_or_five_nights():
    """Demand only in the day; the agent may work 8.5 h days or 8 h nights on a 40 h
    contract (five nights reach it). Four days is the best roster: the minutes row lets
    the LP plan 4.7 days (a bound 5 below what is possible); the hull rows of the
    shift lengths make the bound exact, and the solve proves its roster optimal."""
    from solver.lp_bound import lp_bound

    options = [option(d, 8, 8.5) for d in range(7)] + [option(d, 23, 8) for d in range(7)]
    required = [[1 if 8 <= hour % 24 < 16 else 0 for hour in range(168)]]
    p = problem(7, options, [agent(range(14), weekly_hours=40, days_off=2)], required=required)
    best = 7 * 8 - 4 * 8
    assert lp_bound(p, time_limit=10).bound == best
    result = solve(p)
    assert result.shortfall == best and result.status == "optimal"
