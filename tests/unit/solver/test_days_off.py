"""Days off per 7-day block, with the spec's rule for a partial last block."""

from solver.rules.days_off import days_off_needed
from tests.unit.solver.tiny import agent, option, problem, solve, worked_days


def test_full_block_keeps_two_days_off():
    options = [option(d, 8, 8) for d in range(10)]
    p = problem(10, options, [agent(range(10), days_off=2)])
    days = worked_days(solve(p), p)
    assert len([d for d in days if d < 7]) == 5
    # the last block has 3 dates: it needs max(0, 2 - 4) = 0 days off
    assert [d for d in days if d >= 7] == [7, 8, 9]


def test_partial_block_rule():
    assert days_off_needed(2, 7) == 2
    assert days_off_needed(2, 6) == 1
    assert days_off_needed(2, 5) == 0
