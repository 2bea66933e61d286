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
