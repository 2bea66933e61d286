"""web/ui/my_days.py: an agent's days (shift, time off, day off, holiday) and the
UTC offsets of his shifts across clock changes, from the demo's stored roster."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from calendars.zones import to_local
from scheduler.domain import TimeOff
from scheduler.storage import models as m
from scheduler.storage.db import session_factory, unit_of_work
from tests.web.conftest import Demo
from web.api.queries import my_shifts
from web.ui.my_days import my_days, my_shift, week_of

BEFORE_HORIZON = date(2027, 3, 1)


@pytest.fixture(scope="module")
def stored_shifts(app: Flask) -> dict[str, list[dict]]:
    """Each demo agent's published shifts as the agent page reads them from the database."""
    with unit_of_work(session_factory(app.extensions["sunshift.engine"])) as session:
        users = session.scalars(select(m.User).where(m.User.role == "agent")).all()
        return {user.agent_code: my_shifts(session, user, None, None) for user in users}


def days_of(demo: Demo, code: str, shifts, today: date = BEFORE_HORIZON):
    return {day.day: day for day in my_days([demo.scenario], code, shifts[code], today)}


def test_a0095_days_hold_shifts_time_off_days_off_and_holidays(demo: Demo, stored_shifts):
    days = days_of(demo, "A0095", stored_shifts)
    assert list(days) == list(demo.scenario.horizon.dates)
    worked = {a.date: a for a in demo.shifts_of("A0095")}
    vacation = {date(2027, 3, 28) + timedelta(days=n) for n in range(4)}  # time_off.csv
    for day, found in days.items():
        if day in worked:
            assert found.kind == "shift"
            assert [s.shift_id for s in found.shifts] == [worked[day].shift_id]
        elif day in vacation:
            assert (found.kind, found.time_off) == ("time-off", "vacation")
        else:
            assert (found.kind, found.time_off, found.shifts) == ("off", None, ())
    holidays = {day: found.holiday for day, found in days.items() if found.holiday}
    assert holidays == {  # New South Wales, Easter 2027
        date(2027, 3, 26): "Good Friday",
        date(2027, 3, 27): "Easter Saturday",
        date(2027, 3, 28): "Easter Sunday",
        date(2027, 3, 29): "Easter Monday",
    }


def test_shift_times_are_local_with_the_offset_of_their_date(demo: Demo, stored_shifts):
    dublin = days_of(demo, "A0029", stored_shifts)
    offsets = {
        day: found.shifts[0].offset for day, found in dublin.items() if found.kind == "shift"
    }
    assert {o for d, o in offsets.items() if d < date(2027, 3, 28)} == {"UTC+00:00"}
    assert {o for d, o in offsets.items() if d >= date(2027, 3, 28)} == {"UTC+01:00"}
    for shift in demo.shifts_of("A0029"):
        shown = dublin[shift.date].shifts[0]
        assert (shown.start, shown.end) == (
            f"{shift.start_local:%H:%M}",
            f"{shift.end_local:%H:%M}",
        )
        assert shown.start_utc == f"{shift.start_utc:%Y-%m-%d %H:%M} UTC"
        assert shown.hours == pytest.approx(
            (shift.end_utc - shift.start_utc).total_seconds() / 3600
        )

    sydney = days_of(demo, "A0095", stored_shifts)
    for day, found in sydney.items():
        for shown in found.shifts:  # Sydney goes back to UTC+10:00 at 03:00 on 4 April
            assert shown.offset == ("UTC+10:00" if day >= date(2027, 4, 4) else "UTC+11:00")


def test_a_night_across_the_clock_change_keeps_both_offsets():
    start = datetime(2027, 3, 27, 23, 0, tzinfo=UTC)  # 23:00 in Dublin, still UTC+00:00
    end = start + timedelta(hours=8)  # 08:00 on the 28th, now UTC+01:00
    stored = {
        "shift": "night",
        "date": date(2027, 3, 27),
        "start_utc": start,
        "end_utc": end,
        "start_local": to_local(start, "Europe/Dublin"),
        "end_local": to_local(end, "Europe/Dublin"),
    }
    shown = my_shift(stored, "Dublin")
    assert (shown.start, shown.end) == ("23:00", "08:00")
    assert (shown.offset, shown.end_offset) == ("UTC+00:00", "UTC+01:00")
    assert shown.next_day is True
    assert shown.hours == 8.0  # nine hours on the wall clock, eight worked


def test_days_before_today_are_left_out(demo: Demo, stored_shifts):
    today = date(2027, 3, 30)
    days = days_of(demo, "A0029", stored_shifts, today)
    assert min(days) == today
    assert list(days) == [d for d in demo.scenario.horizon.dates if d >= today]
    shown = [s.start_utc for found in days.values() for s in found.shifts]
    assert shown == [
        f"{a.start_utc:%Y-%m-%d %H:%M} UTC" for a in demo.shifts_of("A0029") if a.date >= today
    ]
    assert my_days([demo.scenario], "A0029", stored_shifts["A0029"], date(2027, 4, 5)) == []


def test_time_off_without_a_reason_reads_time_off(demo: Demo, stored_shifts):
    scenario = replace(
        demo.scenario,
        time_off=(TimeOff("A0001", date(2027, 3, 24), date(2027, 3, 25), ""),),
    )
    shifts = [
        s for s in stored_shifts["A0001"] if s["date"] not in {date(2027, 3, 24), date(2027, 3, 25)}
    ]
    days = {d.day: d for d in my_days([scenario], "A0001", shifts, BEFORE_HORIZON)}
    assert days[date(2027, 3, 24)].time_off == "time off"
    assert days[date(2027, 3, 25)].kind == "time-off"
    assert days[date(2027, 3, 26)].time_off is None


def test_an_agent_of_no_period_has_no_days(demo: Demo):
    assert my_days([demo.scenario], "Z9999", [], BEFORE_HORIZON) == []


def test_weeks_start_on_monday():
    assert week_of(date(2027, 3, 28)) == date(2027, 3, 22)  # a Sunday
    assert week_of(date(2027, 3, 29)) == date(2027, 3, 29)
    assert week_of(date(2027, 4, 4)) == date(2027, 3, 29)
