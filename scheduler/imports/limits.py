"""Size limits of scenario.toml: how long a horizon and how deep the nesting may be.

A horizon of 3,000,000 days ran past year 9999 and a TOML array nested thousands
deep exhausted the parser's recursion; both are now import errors with the key's
line. The limits are settings (``config.settings``, read when a file is checked).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from config import settings
from scheduler.domain import Horizon
from scheduler.imports.values import BadValue, positive, toml_whole_number

CALENDAR_MARGIN_DAYS = 2
"""A horizon's last UTC instant may fall a day after its last local date."""


def days_expected() -> str:
    return f"a whole number of days from 1 to {settings.MAX_HORIZON_DAYS}"


def horizon_days(raw: object) -> int:
    days = positive(toml_whole_number(raw), days_expected())
    if days > settings.MAX_HORIZON_DAYS:
        raise BadValue(f"is more than {settings.MAX_HORIZON_DAYS} days", days_expected())
    return days


def horizon_problem(horizon: Horizon) -> str | None:
    """Why the horizon is too large (too many intervals, or it ends past the calendar's
    last year), or None when it fits."""
    if date.max - horizon.start < timedelta(days=horizon.days + CALENDAR_MARGIN_DAYS):
        return f"ends after the year {date.max.year}"
    count = horizon.days * 24 * 60 // horizon.interval_minutes
    if count <= settings.MAX_HORIZON_INTERVALS:
        return None
    return (
        f"makes {count} intervals of {horizon.interval_minutes} minutes, more than the "
        f"{settings.MAX_HORIZON_INTERVALS} a horizon may have"
    )


def nesting_depth(document: Any) -> int:
    """How deep tables and arrays nest (a flat table is 1), without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def too_deep(document: Any) -> bool:
    return nesting_depth(document) > settings.MAX_TOML_DEPTH


def depth_error() -> tuple[str, str]:
    """(problem, expected) of a document nested too deep."""
    limit = settings.MAX_TOML_DEPTH
    return (
        f"tables and arrays nest more than {limit} levels deep",
        f"at most {limit} levels of nesting (a scenario needs 4)",
    )
