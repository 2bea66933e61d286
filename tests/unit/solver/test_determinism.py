"""A fixed seed with one worker gives the same roster twice."""

from tests.unit.solver.tiny import agent, option, problem, solve


def test_same_seed_one_worker_same_roster():
    options = [option(d, s, 8) for d in range(7) for s in (6, 10, 14)]
    agents = [
        agent(range(len(options)), languages=(i % 2,), weekly_hours=32, days_off=2, rest_hours=11)
        for i in range(6)
    ]
    p = problem(7, options, agents, required=[[2] * 168, [1] * 168])
    first = solve(p, seconds=5, workers=1, seed=7)
    second = solve(p, seconds=5, workers=1, seed=7)
    assert first.chosen == second.chosen
    assert first.shortfall == second.shortfall
