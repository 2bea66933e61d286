"""Market calendars: how a language's demand changes on its markets' holidays.

A language's forecast is the demand of the markets it serves (``de``: DE, AT
and CH by share). On a public holiday of one of them, in that country's local
date, its share of the demand is multiplied by the market's holiday factor (or
by the factor listed for that date). Japanese demand so falls on Golden Week,
while the Japanese speakers in Dublin, whose site has no holiday, still work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

import numpy as np

from calendars.public_holidays import site_holidays
from scheduler.domain import Market, Scenario

LISTED_DATE = "listed date"
"""What a ``holiday_factors`` date that is no public holiday of the country is called."""


@lru_cache(maxsize=1)
def _zone_table() -> dict[str, str]:
    """Country code -> its first (most populous) zone in the tz database's zone.tab."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    found: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone = line.split("\t")[:3]
            found.setdefault(country, zone)
    return found


def country_zone(country: str) -> str | None:
    """The zone a country's holidays are dated in when the market names none."""
    return _zone_table().get(country)


def market_zone(market: Market, country: str) -> str:
    return dict(market.timezones).get(country) or country_zone(country) or "UTC"


@dataclass(frozen=True)
class DayChange:
    """One market country's demand share changed on one of its local dates."""

    country: str
    day: date
    name: str
    """The public holiday's name, or ``LISTED_DATE``."""
    factor: float
    share: float


def day_changes(market: Market, years: Sequence[int]) -> dict[str, dict[date, DayChange]]:
    """Per country, the local dates (in ``years``) whose demand the market changes."""
    listed = dict(market.holiday_factors)
    found: dict[str, dict[date, DayChange]] = {}
    for country, share in market.countries:
        names = site_holidays(country, "", years)
        days: dict[date, DayChange] = {}
        for day, name in names.items():
            factor = listed.get(day, market.holiday_factor)
            if factor != 1.0:
                days[day] = DayChange(country, day, name, factor, share)
        for day, factor in listed.items():
            if day not in names and day.year in years and factor != 1.0:
                days[day] = DayChange(country, day, LISTED_DATE, factor, share)
        found[country] = days
    return found


def interval_factors(
    scenario: Scenario, language: str, starts_utc: Sequence[datetime]
) -> np.ndarray | None:
    """The demand factor of each interval for ``language``; None without a market.

    An interval belongs to the local date its start falls on in each country's
    zone: ``sum(share x factor of that country's date)``.
    """
    market = scenario.markets.of(language)
    if market is None or not market.countries or not starts_utc:
        return None
    years = _years(starts_utc)
    changes = day_changes(market, years)
    factors = np.zeros(len(starts_utc))
    for country, share in market.countries:
        zone = ZoneInfo(market_zone(market, country))
        days = changes[country]
        local = np.array(
            [
                days[d].factor if (d := s.astimezone(zone).date()) in days else 1.0
                for s in starts_utc
            ]
        )
        factors += share * local
    return factors


def _years(starts_utc: Sequence[datetime]) -> list[int]:
    """Years whose holidays can touch these instants in any zone (a day either side)."""
    first = (starts_utc[0] - timedelta(days=1)).year
    last = (starts_utc[-1] + timedelta(days=1)).year
    return list(range(first, last + 1))


@dataclass(frozen=True)
class AdjustedDay:
    """A language's forecast contacts on one UTC day, before and after its markets."""

    language: str
    day: date
    base: float
    adjusted: float
    changes: tuple[DayChange, ...]
    """The market dates touching this UTC day that changed demand."""


def adjusted_forecast(scenario: Scenario) -> list[AdjustedDay]:
    """Per language with a market and per UTC day of the horizon: contacts as
    forecast and as the requirements use them, with the holidays that changed them."""
    if scenario.forecast is None or not scenario.markets.by_language:
        return []
    horizon = scenario.horizon
    starts = horizon.interval_starts()
    per_day = 24 * 60 // horizon.interval_minutes
    result: list[AdjustedDay] = []
    for market in sorted(scenario.markets.by_language, key=lambda m: m.language):
        base = np.zeros(len(starts))
        for row in scenario.forecast:
            if row.language == market.language and horizon.start_utc <= row.interval_start_utc:
                index = horizon.interval_index(row.interval_start_utc)
                if index < len(starts):
                    base[index] += row.volume
        factors = interval_factors(scenario, market.language, starts)
        adjusted = base if factors is None else base * factors
        changes = day_changes(market, _years(starts))
        for d, day in enumerate(horizon.dates):
            window = slice(d * per_day, (d + 1) * per_day)
            touching = tuple(
                change
                for country, _share in market.countries
                for change in changes[country].values()
                if _touches(change, market_zone(market, country), day)
            )
            result.append(
                AdjustedDay(
                    market.language,
                    day,
                    float(base[window].sum()),
                    float(adjusted[window].sum()),
                    touching,
                )
            )
    return result


def _touches(change: DayChange, zone: str, utc_day: date) -> bool:
    """Whether the local date ``change.day`` in ``zone`` overlaps the UTC day."""
    tz = ZoneInfo(zone)
    start = datetime.combine(change.day, datetime.min.time(), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(
        change.day + timedelta(days=1), datetime.min.time(), tzinfo=tz
    ).astimezone(UTC)
    day_start = datetime.combine(utc_day, datetime.min.time(), tzinfo=UTC)
    return start < day_start + timedelta(days=1) and day_start < end
