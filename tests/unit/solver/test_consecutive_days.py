"""No more than max_consecutive_days dates in a row, however tempting the demand."""

from tests.unit.solver.tiny import agent, option, problem, solve, worked_days


def longest_run(days: list[int]) -> int:
    best = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous is not None and day == previous + 1 else 1
        best = max(best, run)
        previous = day
    return best


def test_runs_never_exceed_the_limit_and_days_are_still_used():
    options = [option(d, 8, 8) for d in range(7)]
    p = problem(7, options, [agent(range(7), max_consecutive=3)])
    days = worked_days(solve(p), p)
    assert longest_run(days) == 3
    assert len(days) == 6  # 3 on, 1 off, 3 on: the most the rule allows
