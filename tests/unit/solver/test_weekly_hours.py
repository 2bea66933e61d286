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
