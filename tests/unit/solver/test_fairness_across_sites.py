"""The fairness term compares a language's speakers across sites: two Japanese speakers
at two sites share the nights for Japan instead of one taking them all."""

import time
from dataclasses import replace

from solver.evaluate import objective_terms
from solver.polish import polish
from solver.rules.fairness import fairness_groups
from tests.unit.solver.tiny import agent, option, problem


def _two_sites():
    """Each site has a night (22:00) and a day (12:00) shift each of 4 dates; one agent
    is needed every night and every day; each agent works 4 shifts (32 h): every split
    of the nights covers all, only fairness prefers 2 and 2."""
    shifts = [
        replace(option(d, start, 8, is_night=start == 22), site=s)
        for s in (0, 1)
        for d in range(4)
        for start in (22, 12)
    ]
    required = [[0] * (5 * 24)]
    for d in range(4):
        for h in [*range(d * 24 + 22, d * 24 + 30), *range(d * 24 + 12, d * 24 + 20)]:
            required[0][h] = 1
    dublin = replace(agent(range(8), weekly_hours=32), site=0)
    tokyo = replace(agent(range(8, 16), weekly_hours=32), site=1)
    return problem(5, shifts, [dublin, tokyo], required)


def test_speakers_of_a_language_at_two_sites_form_one_group():
    p = _two_sites()
    assert fairness_groups(p) == {("language", 0, "is_night"): [0, 1]}


def test_the_spread_counts_across_sites():
    p = _two_sites()
    # every night on the Dublin agent, every day on the Tokyo one: a spread of 4
    lopsided = [(0, o) for o in range(0, 8, 2)] + [(1, o) for o in range(9, 16, 2)]
    terms = objective_terms(p, lopsided)
    assert terms["shortfall"] == 0 and terms["unfair_unsocial_shifts"] == 4


def test_the_polish_trades_nights_across_sites_where_weeks_stay_as_steady():
    p = _two_sites()
    # Dublin: 3 nights and a day, Tokyo: a night and 3 days (both already start at two
    # times a week): trading one date's kinds keeps coverage and start times, and
    # halves the nights' spread
    dublin = [(0, 0), (0, 2), (0, 4), (0, 7)]  # nights d0-d2, day d3
    tokyo = [(1, 9), (1, 11), (1, 13), (1, 14)]  # days d0-d2, night d3
    before = objective_terms(p, dublin + tokyo)
    after_roster = polish(p, set(dublin + tokyo), time.monotonic() + 5, seed=0)
    after = objective_terms(p, sorted(after_roster))
    assert before["unfair_unsocial_shifts"] == 2 and after["unfair_unsocial_shifts"] == 0
    assert after["shortfall"] == before["shortfall"] == 0
    assert after["start_time_changes"] == before["start_time_changes"]
