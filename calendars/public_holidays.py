"""Public holidays of a site: the holidays library's country and subdivision
calendar plus the site's own extra company days off, each with its name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import holidays

EXTRA_HOLIDAY_NAME = "Company holiday"


@lru_cache(maxsize=512)  # bounded: codes come from uploads
def supported_subdivisions(country: str) -> tuple[str, ...] | None:
    """Subdivision codes the holidays library knows for ``country``; None if unknown."""
    supported = holidays.list_supported_countries()
    if country not in supported:
        return None
    return tuple(supported[country])


def is_known_country(country: str) -> bool:
    return supported_subdivisions(country) is not None


def is_known_subdivision(country: str, subdivision: str) -> bool:
    subdivisions = supported_subdivisions(country)
    return subdivisions is not None and (not subdivision or subdivision in subdivisions)


@lru_cache(maxsize=1024)
def _library_holidays(country: str, subdivision: str, year: int) -> dict[date, str]:
    calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return dict(calendar.items())


def site_holidays(
    country: str, subdivision: str, years: Iterable[int], extra: Iterable[date] = ()
) -> dict[date, str]:
    """Every public holiday of a site in ``years``, mapped to its name.

    Uses the library's defaults (public category, observed days included), so a
    Saturday Christmas also frees the Monday it is observed on where law says so.
    """
    found: dict[date, str] = {}
    for year in sorted(set(years)):
        found.update(_library_holidays(country, subdivision, year))
    for day in extra:
        found[day] = f"{found[day]}; {EXTRA_HOLIDAY_NAME}" if day in found else EXTRA_HOLIDAY_NAME
    return found
