"""Two shifts on one local date would cover more demand; the rule forbids it."""

from tests.unit.solver.tiny import agent, option, problem, solve


def test_never_two_shifts_on_one_date_even_when_demand_wants_both():
    options = [option(0, 6, 8), option(0, 14, 8)]
    p = problem(1, options, [agent([0, 1])])
    result = solve(p)
    assert len(result.chosen) == 1
    assert result.shortfall == 24 * 5 - 8
