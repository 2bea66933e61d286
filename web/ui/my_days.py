"""An agent's own days: each date of his published periods from today on, with his
shift (local time and offset), time off, or day off, and his site's holidays by name."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from calendars.public_holidays import site_holidays
from calendars.zones import to_local
from scheduler.domain import Horizon, Scenario
from scheduler.exports.local_clock import offset_changes
from web.summary import format_offset


@dataclass(frozen=True)
class MyShift:
    shift_id: str
    site_name: str
    start: str
    end: str
    offset: str
    end_offset: str
    next_day: bool
    start_utc: str
    end_utc: str
    hours: float


@dataclass(frozen=True)
class MyDay:
    day: date
    shifts: tuple[MyShift, ...]
    time_off: str | None
    holiday: str | None
    clock_change: str | None = None
    """E.g. "clocks change at 01:00 UTC: UTC+00:00 → UTC+01:00" on the local date it happens."""

    @property
    def kind(self) -> str:
        if self.shifts:
            return "shift"
        return "time-off" if self.time_off else "off"


def my_shift(stored: dict[str, Any], site_name: str) -> MyShift:
    start, end = stored["start_local"], stored["end_local"]
    return MyShift(
        shift_id=stored["shift"],
        site_name=site_name,
        start=f"{start:%H:%M}",
        end=f"{end:%H:%M}",
        offset=f"UTC{format_offset(start.utcoffset())}",
        end_offset=f"UTC{format_offset(end.utcoffset())}",
        next_day=end.date() != start.date(),
        start_utc=f"{stored['start_utc']:%Y-%m-%d %H:%M} UTC",
        end_utc=f"{stored['end_utc']:%Y-%m-%d %H:%M} UTC",
        hours=round((stored["end_utc"] - stored["start_utc"]).total_seconds() / 3600, 2),
    )


def my_days(
    scenarios: list[Scenario], agent_code: str, shifts: list[dict[str, Any]], today: date
) -> list[MyDay]:
    """Every date from ``today`` in the horizons of ``scenarios`` (the agent's published
    periods), with what the agent does that day."""
    by_day: dict[date, list[MyShift]] = defaultdict(list)
    site_names = {site.id: site.name for s in scenarios for site in s.sites}
    for stored in shifts:
        if stored["date"] >= today:
            by_day[stored["date"]].append(my_shift(stored, site_names.get(stored["site"], "")))
    days: dict[date, MyDay] = {}
    for scenario in scenarios:
        if agent_code not in scenario.agents_by_id:
            continue
        agent = scenario.agent(agent_code)
        site = scenario.site_of(agent)
        dates = [d for d in scenario.horizon.dates if d >= today]
        if not dates:
            continue
        holidays = site_holidays(
            site.country, site.subdivision, {dates[0].year, dates[-1].year}, site.extra_holidays
        )
        changes = _clock_changes(site.timezone, scenario.horizon)
        mine = scenario.time_off_of(agent_code)
        for day in dates:
            off = next((b.reason or "time off" for b in mine if b.covers(day)), None)
            days[day] = MyDay(
                day, tuple(by_day.get(day, ())), off, holidays.get(day), changes.get(day)
            )
    for day, found in by_day.items():  # a shift outside every horizon still shows
        days.setdefault(day, MyDay(day, tuple(found), None, None))
    return [days[day] for day in sorted(days)]


@lru_cache(maxsize=256)  # the same few (zone, horizon) pairs on every agent's page
def _clock_changes(zone: str, horizon: Horizon) -> dict[date, str]:
    """Local date -> what changes, for each clock change of ``zone`` in the horizon
    (callers must not change the answer: it is shared)."""
    found = {}
    for instant in offset_changes(zone, horizon.start_utc, horizon.end_utc):
        before = to_local(instant - timedelta(seconds=1), zone)
        after = to_local(instant, zone)
        wall = instant + before.utcoffset()  # the local clock time at which it changes
        found[after.date()] = (
            f"Clocks change at {wall:%H:%M} local time: "
            f"UTC{format_offset(before.utcoffset())} → UTC{format_offset(after.utcoffset())}"
        )
    return found


def week_of(day: date) -> date:
    """The Monday of ``day``'s week (agents read their schedule week by week)."""
    return day - timedelta(days=day.weekday())
