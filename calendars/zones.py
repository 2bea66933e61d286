"""Local wall-clock shifts to UTC instants, done with pendulum.

A shift starts at a local wall-clock time on a local date and lasts its hours
of *real* elapsed time, so the end is computed in UTC. A start inside a
spring-forward gap does not exist, so the shift is unavailable that day; an
ambiguous start (fall-back) means its first occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import pendulum
from pendulum.tz.exceptions import AmbiguousTime, NonExistingTime


@dataclass(frozen=True)
class ShiftInstants:
    start_utc: datetime
    end_utc: datetime
    start_local: datetime
    end_local: datetime


@lru_cache(maxsize=1024)  # bounded: names come from uploads
def is_known_zone(name: str) -> bool:
    """Whether ``name`` is an IANA zone the tz database knows."""
    if not name or name != name.strip():
        return False
    try:
        pendulum.timezone(name)
    except Exception:  # pendulum raises InvalidTimezone, zoneinfo raises others
        return False
    return True


def local_start(zone: str, day: date, start: time) -> pendulum.DateTime | None:
    """The instant of local ``start`` on ``day`` in ``zone``; None in a DST gap.

    ``fold=0`` picks the first of two occurrences of an ambiguous time.
    """
    fields = (day.year, day.month, day.day, start.hour, start.minute)
    try:
        return pendulum.datetime(*fields, tz=zone, raise_on_unknown_times=True)
    except NonExistingTime:
        return None
    except AmbiguousTime:
        return pendulum.datetime(*fields, tz=zone, fold=0)


def shift_instants(zone: str, day: date, start: time, hours: float) -> ShiftInstants | None:
    """UTC and local instants of a shift starting at ``start`` on local ``day``.

    Returns None when the local start does not exist that day (spring-forward gap).
    """
    begins = local_start(zone, day, start)
    if begins is None:
        return None
    start_utc = begins.in_timezone("UTC")
    end_utc = start_utc + timedelta(hours=hours)
    return ShiftInstants(
        start_utc=_plain_utc(start_utc),
        end_utc=_plain_utc(end_utc),
        start_local=begins,
        end_local=end_utc.in_timezone(zone),
    )


def to_local(instant_utc: datetime, zone: str) -> pendulum.DateTime:
    """An instant shown in ``zone`` with its offset at that instant."""
    return pendulum.instance(instant_utc).in_timezone(zone)


def local_date(instant_utc: datetime, zone: str) -> date:
    return to_local(instant_utc, zone).date()


def utc_offset_changes(zone: str, first: date, last: date) -> list[date]:
    """Local dates in [first, last] on which the zone's UTC offset changes."""
    tz = pendulum.timezone(zone)
    changes = []
    day = first
    while day <= last:
        morning = datetime.combine(day, time(0), tzinfo=UTC)
        if tz.utcoffset(morning) != tz.utcoffset(morning + timedelta(days=1)):
            changes.append(day)
        day += timedelta(days=1)
    return changes


def iso_utc(instant: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``: ``2027-03-14T07:00:00Z``."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_local(instant: datetime) -> str:
    """ISO 8601 with the local offset, even when it is +00:00 (Dublin in winter)."""
    return instant.isoformat(timespec="seconds")


def _plain_utc(instant: pendulum.DateTime) -> datetime:
    """A pendulum instant as a standard library UTC datetime (cheap to compare and hash)."""
    return datetime(
        instant.year,
        instant.month,
        instant.day,
        instant.hour,
        instant.minute,
        instant.second,
        tzinfo=UTC,
    )
