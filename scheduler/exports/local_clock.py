"""Cut a real time span into pieces that read the same on the local wall clock.

Pay categories (night, weekend, public holiday) depend on the local date and
time at which an hour is worked, while the hours themselves are real elapsed
time. Within a stretch of constant UTC offset local time is UTC plus that
offset, so we first split the span at every offset change (DST, found
exactly to the second) and then at the local clock cuts (midnight, 06:00,
22:00). Each piece then has one local date and one time-of-day class, and its
length is real time even when the clocks jump inside the night.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

PROBE_STEP = timedelta(hours=1)
"""Offset probes inside a span; zones never change offset twice within an hour."""

ONE_SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class LocalPiece:
    """A stretch of real time with constant UTC offset and no local clock cut inside."""

    local_start: datetime
    """Naive local wall-clock time at which the piece begins."""
    duration: timedelta
    """Real elapsed time."""


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def utc_offset(zone: str, instant_utc: datetime) -> timedelta:
    offset = instant_utc.astimezone(_zone(zone)).utcoffset()
    assert offset is not None
    return offset


def offset_changes(zone: str, start_utc: datetime, end_utc: datetime) -> list[datetime]:
    """Instants in (start_utc, end_utc) at which the zone's UTC offset changes."""
    changes: list[datetime] = []
    probe = start_utc
    while probe < end_utc:
        following = min(probe + PROBE_STEP, end_utc)
        if utc_offset(zone, probe) != utc_offset(zone, following):
            changes.append(_first_instant_with_offset_of(zone, probe, following))
        probe = following
    return changes


def _first_instant_with_offset_of(zone: str, before: datetime, after: datetime) -> datetime:
    """Bisect to the first whole second carrying ``after``'s offset (tz data is in seconds)."""
    old = utc_offset(zone, before)
    low, high = before, after
    while high - low > ONE_SECOND:
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            middle = low + ONE_SECOND
        if utc_offset(zone, middle) == old:
            low = middle
        else:
            high = middle
    return high


def split_by_local_clock(
    zone: str, start_utc: datetime, end_utc: datetime, cuts: Iterable[time]
) -> list[LocalPiece]:
    """Pieces of [start_utc, end_utc) cut at offset changes and at local ``cuts`` each day.

    Local midnight is always a cut, so every piece lies within one local date.
    """
    cut_times = sorted(set(cuts) | {time(0)})
    bounds = [start_utc, *offset_changes(zone, start_utc, end_utc), end_utc]
    pieces: list[LocalPiece] = []
    for segment_start, segment_end in zip(bounds, bounds[1:], strict=False):
        offset = utc_offset(zone, segment_start)
        local_begin = _naive(segment_start + offset)
        local_end = _naive(segment_end + offset)
        marks = [local_begin]
        day = local_begin.date()
        while day <= local_end.date():
            for cut in cut_times:
                mark = datetime.combine(day, cut)
                if local_begin < mark < local_end:
                    marks.append(mark)
            day += timedelta(days=1)
        marks.append(local_end)
        pieces.extend(
            LocalPiece(local_start=begin, duration=end - begin)
            for begin, end in zip(marks, marks[1:], strict=False)
            if end > begin
        )
    return pieces


def _naive(instant_utc: datetime) -> datetime:
    """Drop the zone after adding an offset by hand: the result is a wall-clock reading."""
    return instant_utc.astimezone(UTC).replace(tzinfo=None)
