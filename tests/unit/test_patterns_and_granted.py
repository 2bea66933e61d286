"""Pattern stability and granted preferences, counted by hand on a small roster."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from scheduler.domain import Assignment, Horizon, Preference
from scheduler.patterns import pattern_summary, start_patterns
from scheduler.preferences import granted_preferences, unmet_by

MONDAY = date(2027, 3, 1)
TOKYO = timezone(timedelta(hours=9))


def row(agent_id: str, day: date, hour: int, shift_id: str = "s") -> Assignment:
    start = datetime(day.year, day.month, day.day, hour, tzinfo=TOKYO)
    end = start + timedelta(hours=8)
    return Assignment(
        agent_id,
        "tyo",
        day,
        shift_id,
        start.astimezone(UTC),
        end.astimezone(UTC),
        start,
        end,
    )


def test_start_times_per_week_count_distinct_local_starts():
    rows = [
        row("A", MONDAY, 7),
        row("A", MONDAY + timedelta(1), 7),
        row("A", MONDAY + timedelta(2), 22),
        row("A", MONDAY + timedelta(3), 1),
        row("A", MONDAY + timedelta(8), 9),  # second week: one start
        row("B", MONDAY, 9),
        row("B", MONDAY + timedelta(1), 9),
    ]
    patterns = start_patterns(Horizon(MONDAY, 14, 60), rows)
    assert (patterns["A"].weeks, patterns["A"].start_times, patterns["A"].extra_starts) == (2, 4, 2)
    assert patterns["A"].widest_hours == 9  # 07:00 to 22:00 the short way round
    assert patterns["B"].per_week == 1.0
    assert pattern_summary(Horizon(MONDAY, 14, 60), rows) == {
        "agent_weeks": 3,
        "extra_start_times": 2,
        "start_times_per_week": 1.67,
    }


def test_granted_counts_each_occasion():
    prefs = (
        Preference("A", "shift", shift_id="early"),
        Preference("A", "day_off", weekday=0),  # Mondays: 2 in 14 days
        Preference("A", "avoid_date", date=MONDAY + timedelta(2)),
    )
    rows = [
        row("A", MONDAY, 7, "early"),  # a Monday: one day-off occasion lost
        row("A", MONDAY + timedelta(1), 7, "late"),  # not a preferred shift
        row("A", MONDAY + timedelta(3), 7, "early"),
    ]

    class Sc:  # only what granted_preferences reads
        preferences = prefs
        preferences_by_agent = {"A": prefs}
        horizon = Horizon(MONDAY, 14, 60)

    [granted] = granted_preferences(Sc, rows)
    # 3 shifts worked (2 early) + 2 Mondays (1 off) + 1 avoided date (kept free)
    assert (granted.occasions, granted.granted) == (6, 4)
    assert unmet_by(prefs, MONDAY, "late") == 2
    assert unmet_by(prefs, MONDAY + timedelta(2), "early") == 1
