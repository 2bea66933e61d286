"""Each hard rule: a valid roster passes, and the one tempting change that breaks
the rule is reported with that rule's name, the agent and the local date."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta, timezone

import pytest
from checker_builders import (
    DUBLIN_SPRING_FORWARD,
    MONDAY,
    WOMENS_DAY,
    agent,
    roster,
    scenario,
    shift,
    site,
    weekdays,
)

from scheduler.checker import Violation, check_roster
from scheduler.domain import Rules, TimeOff


def found(sc, assignments) -> list[tuple[str, str | None, date | None]]:
    """(rule, agent, date) of each violation of an otherwise honest roster."""
    return [(v.rule, v.agent_id, v.date) for v in check_roster(sc, roster(sc, assignments))]


def week(sc, agent_id, first, count=5, shift_id="early"):
    return [shift(sc, agent_id, day, shift_id) for day in weekdays(first, count)]


def test_valid_roster_has_no_violations():
    sc = scenario((agent("A1"), agent("A2", "dub")))
    rows = week(sc, "A1", MONDAY) + week(sc, "A2", MONDAY, shift_id="night")
    assert found(sc, rows) == []


def test_violation_reads_agent_date_rule_and_reason():
    violation = Violation(
        "min_rest", "A0012", date(2027, 3, 14), "10.5 h between shifts, site rule needs 11 h"
    )
    assert (
        str(violation) == "A0012 2027-03-14 min_rest: 10.5 h between shifts, site rule needs 11 h"
    )
    assert str(Violation("summary_status", None, None, "x")) == "summary_status: x"


def test_unknown_agent():
    sc = scenario((agent("A1"),))
    stranger = dataclasses.replace(shift(sc, "A1", MONDAY, "early"), agent_id="A9")
    assert found(sc, [stranger]) == [("unknown_agent", "A9", MONDAY)]


def test_wrong_site():
    sc = scenario((agent("A1"),))
    moved = dataclasses.replace(shift(sc, "A1", MONDAY, "early"), site_id="ber")
    assert found(sc, [moved]) == [("wrong_site", "A1", MONDAY)]


def test_shift_the_agent_may_not_work_is_unknown_shift():
    sc = scenario((agent("A1", shift_ids=("early",)), agent("A2")))
    late = shift(sc, "A2", MONDAY, "late")
    assert found(sc, [dataclasses.replace(late, agent_id="A1")]) == [
        ("unknown_shift", "A1", MONDAY)
    ]


def test_shift_id_the_site_lacks_is_unknown_shift():
    sc = scenario((agent("A1"),))
    made_up = dataclasses.replace(shift(sc, "A1", MONDAY, "early"), shift_id="siesta")
    assert found(sc, [made_up]) == [("unknown_shift", "A1", MONDAY)]


def test_dublin_night_across_spring_forward_lasts_eight_real_hours():
    sc = scenario((agent("A1", "dub"),), start=date(2027, 3, 22))
    saturday = DUBLIN_SPRING_FORWARD - timedelta(days=1)
    night = shift(sc, "A1", saturday, "night")
    assert night.end_local.isoformat() == "2027-03-28T08:00:00+01:00"
    assert found(sc, [night]) == []


def test_dublin_night_end_local_off_by_an_hour_is_wrong_instants():
    sc = scenario((agent("A1", "dub"),), start=date(2027, 3, 22))
    saturday = DUBLIN_SPRING_FORWARD - timedelta(days=1)
    night = shift(sc, "A1", saturday, "night")
    wall_clock = night.end_local - timedelta(hours=1)  # 23:00 + 8 h on the wall: 07:00+01:00
    assert found(sc, [dataclasses.replace(night, end_local=wall_clock)]) == [
        ("wrong_instants", "A1", saturday)
    ]


def test_right_instant_shown_with_wrong_offset_is_wrong_instants():
    sc = scenario((agent("A1", "dub"),), start=date(2027, 3, 22))
    saturday = DUBLIN_SPRING_FORWARD - timedelta(days=1)
    night = shift(sc, "A1", saturday, "night")
    same_instant_winter_offset = night.end_local.astimezone(timezone(timedelta(0)))  # +00:00
    assert same_instant_winter_offset == night.end_local
    changed = dataclasses.replace(night, end_local=same_instant_winter_offset)
    violations = check_roster(sc, roster(sc, [changed]))
    assert [(v.rule, v.agent_id, v.date) for v in violations] == [
        ("wrong_instants", "A1", saturday)
    ]
    assert "end_local 2027-03-28T07:00:00+00:00 should be 2027-03-28T08:00:00+01:00" in str(
        violations[0]
    )


def test_shift_starting_in_dst_gap_is_wrong_instants():
    sc = scenario((agent("A1", "dub"),), start=date(2027, 3, 22))
    saturday = shift(sc, "A1", DUBLIN_SPRING_FORWARD - timedelta(days=1), "small_hours")
    # The writer of this roster added a day to Saturday's row; 01:30 does not exist on Sunday.
    gap = dataclasses.replace(
        saturday,
        date=DUBLIN_SPRING_FORWARD,
        start_utc=saturday.start_utc + timedelta(days=1),
        end_utc=saturday.end_utc + timedelta(days=1),
        start_local=saturday.start_local + timedelta(days=1),
        end_local=saturday.end_local + timedelta(days=1),
    )
    violations = check_roster(sc, roster(sc, [gap]))
    assert [(v.rule, v.agent_id, v.date) for v in violations] == [
        ("wrong_instants", "A1", DUBLIN_SPRING_FORWARD)
    ]
    assert "does not exist" in violations[0].message


def test_date_outside_horizon():
    sc = scenario((agent("A1"),))
    day_before = MONDAY - timedelta(days=1)
    assert found(sc, [shift(sc, "A1", day_before, "early")]) == [("horizon", "A1", day_before)]
    last = sc.horizon.dates[-1]
    assert found(sc, [shift(sc, "A1", last, "early")]) == []


def test_time_off():
    absence = TimeOff("A1", MONDAY + timedelta(days=2), MONDAY + timedelta(days=4), "vacation")
    sc = scenario((agent("A1"),), time_off=(absence,))
    assert found(sc, week(sc, "A1", MONDAY, count=2)) == []
    wednesday = MONDAY + timedelta(days=2)
    assert found(sc, [shift(sc, "A1", wednesday, "early")]) == [("time_off", "A1", wednesday)]


def test_berlin_womens_day_is_public_holiday_but_not_in_bavaria():
    sc = scenario((agent("A1", "ber"), agent("A2", "muc")))
    assert found(sc, [shift(sc, "A1", WOMENS_DAY, "early")]) == [
        ("public_holiday", "A1", WOMENS_DAY)
    ]
    assert found(sc, [shift(sc, "A2", WOMENS_DAY, "early")]) == []


def test_site_that_works_public_holidays_may_work_them():
    open_berlin = site("ber", rules=Rules(work_on_public_holidays=True))
    sc = scenario((agent("A1", "ber"),), sites=(open_berlin,))
    assert found(sc, [shift(sc, "A1", WOMENS_DAY, "early")]) == []


def test_company_extra_holiday_counts_as_public_holiday():
    company_day = MONDAY + timedelta(days=3)
    sc = scenario((agent("A1", "dub"),), sites=(site("dub", extra_holidays=(company_day,)),))
    assert found(sc, [shift(sc, "A1", company_day, "early")]) == [
        ("public_holiday", "A1", company_day)
    ]


def test_two_shifts_on_one_date():
    sc = scenario((agent("A1"),))
    both = [shift(sc, "A1", MONDAY, "early"), shift(sc, "A1", MONDAY, "late")]
    assert sorted(found(sc, both)) == [
        ("min_rest", "A1", MONDAY),
        ("one_shift_per_date", "A1", MONDAY),
    ]


def test_rest_of_exactly_eleven_hours_is_enough():
    sc = scenario((agent("A1"),))
    rows = [shift(sc, "A1", MONDAY, "late"), shift(sc, "A1", MONDAY + timedelta(days=1), "day")]
    assert found(sc, rows) == []


def test_rest_of_ten_hours_fifty_nine_minutes_is_min_rest():
    sc = scenario((agent("A1"),))
    tuesday = MONDAY + timedelta(days=1)
    rows = [shift(sc, "A1", MONDAY, "late"), shift(sc, "A1", tuesday, "day_0859")]
    violations = check_roster(sc, roster(sc, rows))
    assert [(v.rule, v.agent_id, v.date) for v in violations] == [("min_rest", "A1", tuesday)]
    assert "10.98 h between shifts" in violations[0].message
    assert "needs 11 h" in violations[0].message


def test_min_rest_follows_the_site_rule():
    relaxed = site("muc", rules=Rules(min_rest_hours=10))
    sc = scenario((agent("A1"),), sites=(relaxed,))
    rows = [
        shift(sc, "A1", MONDAY, "late"),
        shift(sc, "A1", MONDAY + timedelta(days=1), "day_0859"),
    ]
    assert found(sc, rows) == []


def test_six_days_in_a_row_across_blocks_is_allowed():
    sc = scenario((agent("A1"),))
    thursday = MONDAY + timedelta(days=3)
    assert found(sc, week(sc, "A1", thursday, count=6)) == []


def test_seventh_consecutive_day_is_max_consecutive_days():
    sc = scenario((agent("A1"),))
    thursday = MONDAY + timedelta(days=3)
    seventh = thursday + timedelta(days=6)
    assert found(sc, week(sc, "A1", thursday, count=7)) == [("max_consecutive_days", "A1", seventh)]


def test_weekly_hours_over_contract():
    sc = scenario((agent("A1", hours=24),))
    assert found(sc, week(sc, "A1", MONDAY, count=3)) == []
    assert found(sc, week(sc, "A1", MONDAY, count=4)) == [("weekly_hours", "A1", MONDAY)]


def test_partial_last_block_allows_at_most_the_contract_hours():
    sc = scenario((agent("A1", hours=16),), days=10)  # blocks of 7 and 3 dates
    last_block = MONDAY + timedelta(days=7)
    assert found(sc, week(sc, "A1", last_block, count=2)) == []
    assert found(sc, week(sc, "A1", last_block, count=3)) == [("weekly_hours", "A1", last_block)]


def test_one_day_off_in_a_full_block_is_days_off():
    sc = scenario((agent("A1", hours=48),))
    assert found(sc, week(sc, "A1", MONDAY, count=6)) == [("days_off", "A1", MONDAY)]


@pytest.mark.parametrize(
    ("dates_in_last_block", "worked", "expected"),
    [
        (6, 5, []),  # 6 dates need max(0, 2 - 1) = 1 day off
        (6, 6, [("days_off", "A1", MONDAY + timedelta(days=7))]),
        (5, 5, []),  # 5 dates need max(0, 2 - 2) = 0 days off
    ],
)
def test_partial_last_block_needs_fewer_days_off(dates_in_last_block, worked, expected):
    sc = scenario((agent("A1", hours=48),), days=7 + dates_in_last_block)
    assert found(sc, week(sc, "A1", MONDAY + timedelta(days=7), count=worked)) == expected
