"""Times as a recipient reads them: his local clock, with the UTC offset valid then."""

from __future__ import annotations

from datetime import datetime

from calendars.zones import to_local


def utc_offset_label(local: datetime) -> str:
    """``UTC+02:00``, ``UTC-04:00``, ``UTC+00:00`` (never a bare ``Z``: people read it)."""
    minutes = int(local.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def local_instant(instant_utc: datetime, zone: str) -> str:
    """``Mon 8 Jun 2027 07:00 (UTC+02:00)`` in ``zone``."""
    local = to_local(instant_utc, zone)
    return f"{local:%a} {local.day} {local:%b %Y %H:%M} ({utc_offset_label(local)})"


def local_span(start_utc: datetime, end_utc: datetime, zone: str) -> str:
    """A shift in ``zone``: ``Mon 8 Jun 2027 07:00–15:00 (UTC+02:00)``; the end's date
    is named when it is another day, its offset when the clocks changed in between."""
    start, end = to_local(start_utc, zone), to_local(end_utc, zone)
    text = f"{start:%a} {start.day} {start:%b %Y %H:%M}–"
    if end.date() != start.date():
        text += f"{end:%a} {end.day} {end:%b} "
    text += f"{end:%H:%M} ({utc_offset_label(start)}"
    if end.utcoffset() != start.utcoffset():
        text += f" → {utc_offset_label(end)}"
    return text + ")"
