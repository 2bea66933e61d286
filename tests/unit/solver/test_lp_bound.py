"""The LP bound: never above the best roster (checked by enumeration and against
CP-SAT), valid for *any* duals (the Lagrangian), and as strong as the LP."""

from __future__ import annotations

import time

import numpy as np
import pytest

from solver.evaluate import objective_terms
from solver.greedy import greedy_roster
from solver.lp_bound import _solve, agent_groups, interval_parts, lp_bound, relaxation
from tests.unit.solver.test_coverage import brute_force_shortfall
from tests.unit.solver.test_search import two_sites_week
from tests.unit.solver.tiny import agent, option, problem, solve


def two_days_with_a_rest_trap():
    """Two bilingual agents, a late and an early shift 8 h apart: the rest rule
    forbids working both, which the LP must know to bound shortfall right."""
    options = [option(0, 14, 8), option(1, 6, 8), option(1, 14, 8)]
    agents = [agent([0, 1, 2], languages=(0, 1), rest_hours=11) for _ in range(2)]
    demand = [[0] * 14 + [2] * 8 + [0] * 8 + [2] * 8 + [1] * 8 + [0] * 2, [1] * 48]
    return problem(2, options, agents, required=demand)


def test_bound_never_exceeds_the_best_roster_found_by_enumeration():
    p = two_days_with_a_rest_trap()
    best = brute_force_shortfall(p)
    found = lp_bound(p, time_limit=10)
    assert 0 < found.bound <= best
    assert found.lp_value is not None and found.lp_value <= best + 1e-6


def test_interchangeable_agents_merge_into_one_group():
    p = two_days_with_a_rest_trap()
    groups = agent_groups(p)
    assert [g.size for g in groups] == [2]


def test_lagrangian_of_any_duals_is_a_valid_bound():
    """Random duals (even of the wrong sign, which are clipped) never give a bound
    above the LP optimum; the LP's own duals give the optimum."""
    p = two_sites_week()
    lp = relaxation(p)
    found = lp_bound(p, time_limit=10)
    rng = np.random.default_rng(7)
    for _ in range(20):
        ub = rng.normal(0, 1, lp.a_ub.shape[0])
        eq = rng.normal(0, 1, lp.a_eq.shape[0])
        assert lp.bound_from(ub, eq) <= found.lp_value + 1e-6
    greedy = objective_terms(p, greedy_roster(p).chosen)["shortfall"]
    assert found.bound <= greedy


def test_parts_add_up_to_a_bound_no_higher_than_the_whole():
    p = two_sites_week()
    whole = lp_bound(p, time_limit=10)
    assert interval_parts(p, 10) == [range(0, p.interval_count)]
    halves = [range(0, 84), range(84, 168)]
    parts = 0.0
    for part in halves:
        lp = relaxation(p, part)
        value, ub, eq, _, optimal = _solve(lp, 10)
        assert optimal
        parts += lp.bound_from(ub, eq)
    assert parts <= whole.lp_value + 1e-6


def test_a_language_alone_is_bounded_by_its_own_speakers():
    """Language 1 of the two-site week is spoken by half the agents: its own bound
    never exceeds what the best roster leaves it, nor the whole problem's bound."""
    from solver.lp_bound import language_bounds, language_problem

    p = two_sites_week()
    alone = language_problem(p, 1)
    assert len(alone.agents) == 4 and alone.languages == ("l1",)
    import time

    bounds = language_bounds(p, time.monotonic() + 20)
    whole = lp_bound(p, time_limit=10)
    assert set(bounds) == {0, 1}
    assert sum(bounds.values()) <= whole.bound + len(bounds)  # each rounded up on its own
    roster = greedy_roster(p)
    short_1 = sum(max(0, need - roster.staffed[1][t]) for t, need in enumerate(p.required[1]))
    assert bounds[1] <= short_1


def test_parts_solved_two_at_a_time_give_the_same_bound():
    """Four weekly parts on two threads: the same bound and LP optimum as one by one."""
    options = [option(d, s, 8) for d in range(28) for s in (6, 14, 22)]
    agents = [
        agent(range(len(options)), languages=(i % 2,), weekly_hours=40, rest_hours=11, days_off=2)
        for i in range(6)
    ]
    p = problem(28, options, agents, required=[[2] * 28 * 24, [1] * 28 * 24])
    assert len(interval_parts(p, 20)) == 4
    alone, together = lp_bound(p, time_limit=20), lp_bound(p, time_limit=20, threads=2)
    assert together.bound == alone.bound > 0
    assert together.lp_value is not None and abs(together.lp_value - alone.lp_value) < 1e-4


def test_presence_summed_from_the_shifts_is_the_same_lp_as_the_chained_one():
    """The window MIPs' form of the relaxation (coverage rows summing the shifts) and
    the bound's (presence chained from interval to interval) have one optimum, on
    the whole week, a part of it, and with floors costed."""
    p = two_sites_week()
    for part, floor_cost in ((None, 0.0), (range(30, 110), 0.0), (None, 1_000.0)):
        chained = _solve(relaxation(p, part, floor_cost), 10)
        direct_lp = relaxation(p, part, floor_cost, chained=False)
        direct = _solve(direct_lp, 10)
        assert chained[4] and direct[4]
        assert abs(chained[0] - direct[0]) < 1e-4 * max(1.0, abs(chained[0]))
        # no presence columns: the same shift columns, fewer columns in all
        assert len(direct_lp.c) < len(relaxation(p, part, floor_cost).c)


def test_an_lp_stuck_in_its_presolved_form_is_solved_again_without_presolve(monkeypatch):
    """A part whose presolved interior point runs past its iterations (the year-end
    case's Christmas week: 703 where other weeks take 40-60) is solved again without
    presolve, to the same optimum: the bound is the LP's, not a stopped iterate's."""
    import solver.lp_bound as lp_module

    p = two_sites_week()
    lp = relaxation(p)
    plain = _solve(lp, 10)
    monkeypatch.setattr(lp_module, "IPM_ITERATIONS_PRESOLVED", 1)
    made = []
    quiet = lp_module.quiet_highs
    monkeypatch.setattr(lp_module, "quiet_highs", lambda: made.append(quiet()) or made[-1])
    again = _solve(lp, 10)
    presolve = made[0].getOptionValue("presolve")  # (status, value) from the private class
    assert (presolve[-1] if isinstance(presolve, tuple) else presolve) == "off"
    assert plain[4] and again[4]
    assert abs(again[0] - plain[0]) < 1e-4 * max(1.0, abs(plain[0]))
    assert lp.bound_from(again[1], again[2]) > lp.bound_from(plain[1], plain[2]) - 1e-3


def test_the_first_parts_may_take_the_whole_time_rather_than_all_stop_unfinished(monkeypatch):
    """Four weekly parts on two threads: equal shares (half the time each) stopped
    every week of a 2,500-agent month unfinished, so its bound was the capacity
    bound; the first two parts may now take all of it (a part done early leaves the
    rest to the next), and the last ones what is left."""
    import solver.lp_bound as lp_module

    p = two_sites_week()
    monkeypatch.setattr(
        lp_module,
        "interval_parts",
        lambda problem, seconds: [range(k, k + 42) for k in (0, 42, 84, 126)],
    )
    shares = []
    solve = lp_module._solve
    monkeypatch.setattr(
        lp_module,
        "_solve",
        lambda lp, seconds, *stop: shares.append(seconds) or solve(lp, seconds, *stop),
    )
    found = lp_bound(p, time_limit=20, threads=2)
    assert found.status == "optimal" and len(shares) == 4
    assert min(shares[:2]) > 15  # the first round: the whole time, less its setup
    # a month of four weeks and a few days: the first round still gets it all
    monkeypatch.setattr(
        lp_module,
        "interval_parts",
        lambda problem, seconds: [range(k, min(k + 36, 168)) for k in range(0, 168, 36)],
    )
    shares.clear()
    assert lp_bound(p, time_limit=20, threads=2).status == "optimal" and len(shares) == 5
    assert min(shares[:2]) > 15


def nights_across_the_seam(weeks: int = 2):
    """One agent, two weeks, a night shift 20:00-04:00 every date and demand only from
    00:00 to 04:00; his contract holds two nights a week. A week's part has the last
    night of the week before (it covers the part's first hours) without that week's
    contract, so the weeks' LPs count a third night in the second week: 36 where no
    roster does better than 40."""
    days = 7 * weeks
    options = [option(d, 20, 8) for d in range(days)]
    required = [[1 if hour % 24 < 4 else 0 for hour in range(days * 24)]]
    return problem(days, options, [agent(range(days), weekly_hours=16)], required=required)


def test_longer_parts_take_back_what_the_seams_between_weeks_lose():
    from solver.lp_bound import LpStop, merge_parts

    p = nights_across_the_seam()
    best = 14 * 4 - 4 * 4  # four nights cover the early hours of four dates
    weeks = lp_bound(p, time_limit=10)
    assert [len(part) for part, *_ in weeks.parts] == [168, 168]
    assert weeks.bound == 36
    bound, value = merge_parts(p, weeks, time.monotonic() + 10, 2, LpStop())
    assert bound == best and value == pytest.approx(best)
    # without the time for it, the weeks' bound stays
    assert merge_parts(p, weeks, time.monotonic() + 10, 2, LpStop(), most_seconds=0) == (
        36,
        weeks.lp_value,
    )


def test_the_solve_reports_the_bound_of_its_longer_parts():
    result = solve(nights_across_the_seam())
    assert result.shortfall == result.shortfall_bound == 40
    assert result.status == "optimal"


def test_an_odd_part_waits_for_the_next_round_and_the_month_is_solved_whole():
    """Three weeks: the first two are merged, the third keeps its bound for a round,
    then all three are one LP: 52 from the weeks, 60 from the whole (three weeks of
    two nights each cover the early hours of six dates)."""
    from solver.lp_bound import LpStop, merge_parts

    p = nights_across_the_seam(weeks=3)
    weeks = lp_bound(p, time_limit=10)
    assert len(weeks.parts) == 3 and weeks.bound == 52
    bound, value = merge_parts(p, weeks, time.monotonic() + 10, 2, LpStop())
    assert bound == 21 * 4 - 6 * 4 and value == pytest.approx(bound)


def test_a_longer_part_left_unsolved_keeps_its_halves_bound(monkeypatch):
    """No duals for the merged LP (a time limit hit before any): the weeks' bound and
    LP value stand, nothing is lost or made up."""
    from solver import lp_bound as module

    p = nights_across_the_seam()
    weeks = lp_bound(p, time_limit=10)
    monkeypatch.setattr(module, "_solve", lambda lp, seconds, stop=None: None)
    assert module.merge_parts(p, weeks, time.monotonic() + 10, 2) == (36, weeks.lp_value)


def test_a_languages_own_bound_takes_back_what_its_seams_lose():
    """The per-language bound (the gap explanations' unavoidable part) merges its weeks
    too: 40, where its weeks alone give 36."""
    from solver.lp_bound import language_bounds

    p = nights_across_the_seam()
    assert language_bounds(p, time.monotonic() + 10) == {0: 40}
