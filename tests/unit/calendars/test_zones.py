"""DST arithmetic of shifts: the US, Europe and Australia change clocks on
different dates, India does not change at all, and night shifts straddle it."""

from datetime import UTC, date, datetime, time

import pytest

from calendars.zones import iso_local, iso_utc, shift_instants, utc_offset_changes


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "gap_start"),
    [
        ("America/Toronto", date(2027, 3, 14), time(2, 30)),
        ("Europe/Dublin", date(2027, 3, 28), time(1, 30)),
        ("Australia/Sydney", date(2027, 10, 3), time(2, 0)),
    ],
)
def test_start_in_spring_forward_gap_makes_shift_unavailable(zone, day, gap_start):
    assert shift_instants(zone, day, gap_start, 8) is None


def test_toronto_spring_forward_day_shift_has_new_offset():
    shift = shift_instants("America/Toronto", date(2027, 3, 14), time(9, 0), 8)
    assert shift.start_utc == utc(2027, 3, 14, 13, 0)
    assert iso_local(shift.start_local) == "2027-03-14T09:00:00-04:00"


def test_toronto_fall_back_ambiguous_start_is_first_occurrence():
    shift = shift_instants("America/Toronto", date(2027, 11, 7), time(1, 30), 8)
    assert iso_local(shift.start_local) == "2027-11-07T01:30:00-04:00"
    assert shift.start_utc == utc(2027, 11, 7, 5, 30)
    # eight real hours later the clock shows 08:30 EST, not 09:30
    assert iso_local(shift.end_local) == "2027-11-07T08:30:00-05:00"


def test_dublin_spring_forward_night_shift_lasts_real_hours():
    # 23:00 GMT on the 27th, clocks jump 01:00 -> 02:00 on the 28th
    shift = shift_instants("Europe/Dublin", date(2027, 3, 27), time(23, 0), 8)
    assert shift.start_utc == utc(2027, 3, 27, 23, 0)
    assert shift.end_utc == utc(2027, 3, 28, 7, 0)
    assert iso_local(shift.end_local) == "2027-03-28T08:00:00+01:00"


def test_dublin_fall_back_night_shift_lasts_real_hours():
    shift = shift_instants("Europe/Dublin", date(2027, 10, 30), time(23, 0), 8)
    assert shift.start_utc == utc(2027, 10, 30, 22, 0)
    assert shift.end_utc == utc(2027, 10, 31, 6, 0)
    assert iso_local(shift.start_local) == "2027-10-30T23:00:00+01:00"
    assert iso_local(shift.end_local) == "2027-10-31T06:00:00+00:00"


def test_sydney_autumn_fall_back_and_spring_forward():
    # Southern hemisphere: clocks go back in April, forward in October.
    back = shift_instants("Australia/Sydney", date(2027, 4, 4), time(2, 30), 8)
    assert iso_local(back.start_local) == "2027-04-04T02:30:00+11:00"
    assert iso_local(back.end_local) == "2027-04-04T09:30:00+10:00"
    forward = shift_instants("Australia/Sydney", date(2027, 10, 3), time(7, 0), 8)
    assert iso_local(forward.start_local) == "2027-10-03T07:00:00+11:00"
    assert forward.start_utc == utc(2027, 10, 2, 20, 0)


def test_half_hour_zone_without_dst():
    shift = shift_instants("Asia/Kolkata", date(2027, 3, 14), time(9, 0), 9)
    assert shift.start_utc == utc(2027, 3, 14, 3, 30)
    assert shift.end_utc == utc(2027, 3, 14, 12, 30)
    assert iso_local(shift.start_local) == "2027-03-14T09:00:00+05:30"
    assert utc_offset_changes("Asia/Kolkata", date(2027, 1, 1), date(2027, 12, 31)) == []


def test_offset_change_dates_differ_by_continent():
    assert utc_offset_changes("America/Toronto", date(2027, 3, 1), date(2027, 11, 30)) == [
        date(2027, 3, 14),
        date(2027, 11, 7),
    ]
    assert utc_offset_changes("Europe/Dublin", date(2027, 3, 1), date(2027, 11, 30)) == [
        date(2027, 3, 28),
        date(2027, 10, 31),
    ]
    assert utc_offset_changes("Australia/Sydney", date(2027, 3, 1), date(2027, 11, 30)) == [
        date(2027, 4, 4),
        date(2027, 10, 3),
    ]


def test_iso_utc_uses_z():
    shift = shift_instants("Asia/Tokyo", date(2027, 1, 1), time(7, 0), 9)
    assert iso_utc(shift.start_utc) == "2026-12-31T22:00:00Z"
    assert iso_utc(shift.start_local) == "2026-12-31T22:00:00Z"
