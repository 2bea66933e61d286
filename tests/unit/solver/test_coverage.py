"""Coverage counts a present agent once, for one language he speaks."""

import itertools

from tests.unit.solver.tiny import agent, option, problem, solve


def test_bilingual_agent_counts_for_one_language_at_a_time():
    # one bilingual agent, both languages want one agent all day
    p = problem(1, [option(0, 8, 8)], [agent([0], languages=(0, 1))], required=[[1] * 24] * 2)
    result = solve(p)
    assert len(result.chosen) == 1
    assert result.shortfall == 24 * 2 - 8


def test_floor_gaps_come_before_shortfall():
    # the bilingual agent can serve the always-on language l1 (needing 1) or l0,
    # which needs 3; floors win although shortfall is the same either way
    p = problem(
        1,
        [option(0, 0, 24)],
        [agent([0], languages=(0, 1))],
        required=[[3] * 24, [1] * 24],
        floor=(0, 1),
    )
    result = solve(p)
    assert result.floor_gaps == 0


def brute_force_shortfall(p) -> int:
    """Least shortfall over every roster that keeps the rules, by enumeration."""
    per_agent = []
    for ag in p.agents:
        by_day = {
            d: [None] + [o for o in ag.options if p.options[o].day == d] for d in range(p.days)
        }
        per_agent.append([list(c) for c in itertools.product(*by_day.values())])
    best = None
    for combo in itertools.product(*per_agent):
        if not all(keeps_rules(p, p.agents[a], picks) for a, picks in enumerate(combo)):
            continue
        short = 0
        for t in range(p.interval_count):
            counts = {}
            for a, picks in enumerate(combo):
                if any(o is not None and p.options[o].covers(t) for o in picks):
                    counts[p.agents[a].languages] = counts.get(p.agents[a].languages, 0) + 1
            short += least_short_at(p, t, counts)
        best = short if best is None else min(best, short)
    return best


def least_short_at(p, t, counts) -> int:
    agents = [langs for langs, n in counts.items() for _ in range(n)]
    best = sum(r[t] for r in p.required)
    for choice in itertools.product(*agents):
        staffed = [0] * len(p.languages)
        for lang in choice:
            staffed[lang] += 1
        best = min(
            best, sum(max(0, p.required[x][t] - staffed[x]) for x in range(len(p.languages)))
        )
    return best


def keeps_rules(p, ag, picks) -> bool:
    shifts = [p.options[o] for o in picks if o is not None]
    minutes = sum(s.minutes for s in shifts)
    if minutes > ag.max_minutes_per_block:
        return False
    for first, second in zip(shifts, shifts[1:], strict=False):
        if second.start_minute < first.end_minute + ag.rules.min_rest_minutes:
            return False
    return True


def test_tiny_instance_reaches_the_brute_force_optimum():
    options = [option(d, s, 8) for d in range(3) for s in (6, 14)]
    agents = [
        agent([0, 1, 2, 3, 4, 5], languages=(0,), weekly_hours=16, rest_hours=11),
        agent([0, 1, 2, 3, 4, 5], languages=(0, 1), weekly_hours=24, rest_hours=11),
    ]
    required = [[0] * 6 + [2] * 16 + [0] * 2] * 3
    p = problem(3, options, agents, required=[sum(required, []), [1] * 72])
    result = solve(p)
    assert result.status == "optimal"
    assert result.shortfall == brute_force_shortfall(p)
    assert result.shortfall_bound == result.shortfall
