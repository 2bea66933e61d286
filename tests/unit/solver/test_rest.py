"""Minimum rest in real minutes: 10 h 59 is not 11 h, 11 h is."""

from tests.unit.solver.tiny import agent, option, problem, solve


def test_ten_hours_fifty_nine_between_shifts_is_refused():
    late = option(0, 14, 8)  # ends 22:00
    early = option(1, 22 + 10 + 59 / 60 - 24, 8)  # starts 08:59 next day
    p = problem(2, [late, early], [agent([0, 1], rest_hours=11)])
    result = solve(p)
    assert len(result.chosen) == 1


def test_exactly_eleven_hours_rest_is_allowed():
    late = option(0, 14, 8)
    early = option(1, 9, 8)  # 22:00 -> 09:00 is 11 h
    p = problem(2, [late, early], [agent([0, 1], rest_hours=11)])
    assert len(solve(p).chosen) == 2


def test_rest_counts_real_minutes_across_a_dst_night():
    # a night shift that really lasts 9 h (clock change) ends an hour later than
    # its wall-clock hours suggest: the next shift must respect the real end
    night = option(0, 23, 9)  # ends day1 08:00 real time
    next_day = option(1, 18, 8)  # 10 h after the real end
    p = problem(2, [night, next_day], [agent([0, 1], rest_hours=11)])
    assert len(solve(p).chosen) == 1


def test_long_rest_rules_reach_across_several_dates():
    # 100 h of rest after a day shift ending 16:00 reaches 20:00 four dates later
    first = option(0, 8, 8)
    too_soon = option(4, 19, 8)  # 99 h after the end
    p = problem(5, [first, too_soon], [agent([0, 1], rest_hours=100)])
    assert len(solve(p, seconds=3).chosen) == 1
