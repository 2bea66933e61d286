"""Weekly hours by pay category: real elapsed time, counted at the local clock it is worked."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytest
from exports_builders import SITES, roster, scenario, shift, spec_example

from calendars.public_holidays import site_holidays
from scheduler.exports import worked_hours


def row(rows, agent_id: str, week: int = 0):
    (found,) = [r for r in rows if r.agent_id == agent_id and r.week == week]
    return found


def test_spec_example_weeks_sum_the_shifts_of_each_agent(spec_example_dir, spec_example_roster_dir):
    sc, solved = spec_example(spec_example_dir, spec_example_roster_dir)
    expected: dict[str, float] = defaultdict(float)
    for a in solved.assignments:
        expected[a.agent_id] += (a.end_utc - a.start_utc).total_seconds() / 3600

    rows = worked_hours(sc, solved)

    assert len(rows) == len(sc.agents)  # 7 days: one block, every agent listed
    assert {r.agent_id: r.worked_hours for r in rows} == pytest.approx(
        {agent.id: expected[agent.id] for agent in sc.agents}
    )
    for r in rows:
        assert 0 <= r.night_hours <= r.worked_hours
        assert 0 <= r.weekend_hours <= r.worked_hours
        assert r.worked_hours <= r.contract_hours  # the baseline respects contracts


def test_spec_example_holiday_hours_are_the_hours_on_holiday_dates(
    spec_example_dir, spec_example_roster_dir
):
    """June has no DST change, so wall-clock arithmetic is an independent check here."""
    sc, solved = spec_example(spec_example_dir, spec_example_roster_dir)
    expected: dict[str, float] = defaultdict(float)
    names: dict[str, set[str]] = defaultdict(set)
    for a in solved.assignments:
        where = sc.site(a.site_id)
        holidays = site_holidays(where.country, where.subdivision, [2027], where.extra_holidays)
        midnight = datetime.combine(a.end_local.date(), time(0), tzinfo=a.end_local.tzinfo)
        on_end_date = (a.end_local - max(midnight, a.start_local)).total_seconds() / 3600
        on_start_date = (a.end_local - a.start_local).total_seconds() / 3600 - on_end_date
        for day, worked in (
            (a.start_local.date(), on_start_date),
            (a.end_local.date(), on_end_date),
        ):
            if day in holidays and worked:
                expected[a.agent_id] += worked
                names[a.agent_id].add(holidays[day])

    rows = worked_hours(sc, solved)

    assert expected, "the example has night shifts running into Dublin's company day"
    assert {r.agent_id: r.holiday_hours for r in rows if r.holiday_hours} == pytest.approx(
        dict(expected)
    )
    assert {r.agent_id: {h.name for h in r.holidays} for r in rows if r.holidays} == names


def test_blocks_follow_the_start_date_of_each_shift():
    sc = scenario(date(2027, 3, 1), days=14, sites=(SITES["ber"],))
    sunday_evening = date(2027, 3, 7)  # last date of block 0, runs into Monday of block 1
    rows = worked_hours(
        sc,
        roster(
            [
                shift(sc, "BER", sunday_evening, "evening"),
                shift(sc, "BER", date(2027, 3, 9), "early"),
            ]
        ),
    )

    assert [(r.week, r.week_start, r.week_end) for r in rows] == [
        (0, date(2027, 3, 1), date(2027, 3, 7)),
        (1, date(2027, 3, 8), date(2027, 3, 14)),
    ]
    assert row(rows, "BER", 0).worked_hours == 8  # 20:00 Sun -> 04:00 Mon, all in block 0
    assert row(rows, "BER", 0).weekend_hours == 4  # only the Sunday hours
    assert row(rows, "BER", 0).night_hours == 6  # 22:00 -> 04:00
    assert row(rows, "BER", 1).worked_hours == 8


def test_dublin_night_across_fall_back_is_nine_real_hours():
    sc = scenario(date(2027, 10, 25), sites=(SITES["dub"],))
    saturday = date(2027, 10, 30)  # clocks go back 02:00 IST -> 01:00 GMT early on Sunday
    night = shift(sc, "DUB", saturday, "night")  # 23:00 IST for 9 real hours
    assert night.end_local.hour == 7  # 07:00 GMT on the wall clock: 8 wall-clock hours

    r = row(worked_hours(sc, roster([night])), "DUB")

    assert r.worked_hours == 9
    # 23:00-02:00 IST is 3 real hours, 01:00-06:00 GMT 5 more; 06:00-07:00 is day
    assert r.night_hours == 8
    assert r.weekend_hours == 9  # Saturday night into Sunday


def test_dublin_night_across_spring_forward_loses_the_skipped_hour():
    sc = scenario(date(2027, 3, 22), sites=(SITES["dub"],))
    night = shift(sc, "DUB", date(2027, 3, 27), "night")  # 23:00 GMT, clocks jump 01:00->02:00

    r = row(worked_hours(sc, roster([night])), "DUB")

    assert r.worked_hours == 9  # ends 09:00 IST
    assert r.night_hours == 6  # 23:00-01:00 GMT, then 02:00-06:00 IST


def test_berlin_holiday_counts_and_a_bavarian_one_does_not():
    womens_day = date(2027, 3, 8)  # Berlin only
    epiphany = date(2027, 1, 6)  # Bavaria only
    assert womens_day in site_holidays("DE", "BE", [2027])
    assert epiphany not in site_holidays("DE", "BE", [2027])

    winter = scenario(date(2027, 1, 4), sites=(SITES["ber"], SITES["muc"]))
    rows = worked_hours(
        winter,
        roster([shift(winter, "BER", epiphany, "early"), shift(winter, "MUC", epiphany, "early")]),
    )
    assert row(rows, "BER").holiday_hours == 0
    assert row(rows, "MUC").holiday_hours == 8
    assert [(h.day, h.hours) for h in row(rows, "MUC").holidays] == [(epiphany, 8)]

    spring = scenario(date(2027, 3, 8), sites=(SITES["ber"], SITES["muc"]))
    rows = worked_hours(
        spring,
        roster(
            [shift(spring, "BER", womens_day, "early"), shift(spring, "MUC", womens_day, "early")]
        ),
    )
    berlin = row(rows, "BER")
    assert berlin.holiday_hours == 8
    assert [h.name for h in berlin.holidays] == [site_holidays("DE", "BE", [2027])[womens_day]]
    assert row(rows, "MUC").holiday_hours == 0


def test_holiday_hours_are_those_worked_on_the_holiday_date():
    sc = scenario(date(2027, 3, 1), days=14, sites=(SITES["ber"],))
    eve = date(2027, 3, 7)  # 20:00 Sunday -> 04:00 on Women's Day

    r = row(worked_hours(sc, roster([shift(sc, "BER", eve, "evening")])), "BER")

    assert r.holiday_hours == 4
    assert [(h.day, h.hours) for h in r.holidays] == [(eve + timedelta(days=1), 4)]


def test_extra_company_holiday_is_named():
    dublin = SITES["dub"].__class__(
        **{**SITES["dub"].__dict__, "extra_holidays": (date(2027, 6, 9),)}
    )
    sc = scenario(date(2027, 6, 7), sites=(dublin,))

    r = row(worked_hours(sc, roster([shift(sc, "DUB", date(2027, 6, 9), "early")])), "DUB")

    assert r.holiday_hours == 8
    assert [h.name for h in r.holidays] == ["Company holiday"]


def test_tokyo_weekend_is_the_local_saturday_even_when_utc_says_friday():
    sc = scenario(date(2027, 6, 7), sites=(SITES["tyo"],))
    saturday = date(2027, 6, 12)
    friday = date(2027, 6, 11)
    early = shift(sc, "TYO", saturday, "early")
    assert early.start_utc.weekday() == 4  # Friday 22:00 UTC

    r = row(worked_hours(sc, roster([early, shift(sc, "TYO", friday, "late")])), "TYO")

    assert r.worked_hours == 17
    assert r.weekend_hours == 8 + 2  # Saturday early, and Friday late's 00:00-02:00
    assert r.night_hours == 4  # Friday late: 22:00-02:00


def test_a_week_without_shifts_is_listed_with_zero_hours():
    sc = scenario(date(2027, 6, 7), days=10, sites=(SITES["tyo"],))
    rows = worked_hours(sc, roster([]))
    assert [(r.week, r.week_end, r.worked_hours, r.shifts) for r in rows] == [
        (0, date(2027, 6, 13), 0, 0),
        (1, date(2027, 6, 16), 0, 0),  # partial last block
    ]


def test_a_roster_of_another_scenario_is_refused_with_every_shift_named():
    sc = scenario(date(2027, 6, 7), sites=(SITES["tyo"],))
    other = scenario(date(2027, 7, 5), sites=(SITES["tyo"], SITES["ber"]))
    stray = [
        shift(other, "TYO", date(2027, 7, 5), "early"),
        shift(other, "BER", date(2027, 7, 6), "early"),
    ]

    with pytest.raises(ValueError) as raised:
        worked_hours(sc, roster(stray))

    assert "2027-07-05: outside the horizon 2027-06-07..2027-06-13" in str(raised.value)
    assert "unknown agent 'BER'" in str(raised.value)
