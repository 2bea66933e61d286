"""Forecast shapes: contacts per interval, language and channel before calibration.

Each language's volume is the sum over its market zones of a channel's daily
curve in that zone's local time (so German phone peaks at 10:00 Berlin time
whether Berlin is on CET or CEST), scaled by the weekday (weekend dip) and
damped on the market's public holidays. Languages that are not always-on have
phone and chat lines open only in their market's opening hours (see
``catalog.Market``); email arrives any time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from scheduler.domain import CHANNELS
from scheduler.synthetic.catalog import MARKETS

# Relative arrivals at each local hour (value at the hour's start, interpolated).
HOURLY_SHAPE: dict[str, tuple[float, ...]] = {
    #        0     1     2     3     4     5     6     7     8     9    10    11
    "phone": (0.05, 0.03, 0.02, 0.02, 0.02, 0.04, 0.10, 0.30, 0.70, 0.95, 1.00, 0.98,
    #       12    13    14    15    16    17    18    19    20    21    22    23
              0.85, 0.88, 0.95, 0.92, 0.80, 0.62, 0.42, 0.30, 0.22, 0.15, 0.10, 0.07),
    "chat":  (0.10, 0.06, 0.04, 0.03, 0.03, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95,
              0.92, 0.95, 1.00, 0.98, 0.92, 0.85, 0.80, 0.78, 0.70, 0.55, 0.35, 0.20),
    "email": (0.15, 0.10, 0.08, 0.08, 0.08, 0.10, 0.20, 0.50, 0.90, 1.00, 1.00, 0.95,
              0.85, 0.90, 0.95, 0.90, 0.80, 0.60, 0.45, 0.40, 0.35, 0.30, 0.25, 0.20),
}  # fmt: skip
# Monday .. Sunday.
WEEKDAY_FACTOR: dict[str, tuple[float, ...]] = {
    "phone": (1.15, 1.05, 1.00, 0.98, 0.92, 0.40, 0.30),
    "chat": (1.10, 1.03, 1.00, 1.00, 0.95, 0.60, 0.50),
    "email": (1.20, 1.05, 1.00, 0.97, 0.90, 0.35, 0.30),
}
HOLIDAY_FACTOR = 0.35
DAY_NOISE = 0.06
INTERVAL_NOISE = 0.10


@dataclass(frozen=True)
class LanguageProfile:
    """Channel mix (shares summing to 1) and handling times of one language."""

    mix: dict[str, float]
    aht_seconds: dict[str, int]


def language_profile(language: str, rng: random.Random) -> LanguageProfile:
    """A plausible mix: Japanese customers phone more, every AHT within 300-700 s."""
    offered = MARKETS[language].channels
    weights = {
        "phone": rng.uniform(0.35, 0.55) + (0.10 if language == "ja" else 0.0),
        "chat": rng.uniform(0.25, 0.40),
        "email": rng.uniform(0.12, 0.25),
    }
    total = sum(weights[channel] for channel in offered)
    return LanguageProfile(
        mix={ch: (weights[ch] / total if ch in offered else 0.0) for ch in CHANNELS},
        aht_seconds={
            "phone": 10 * rng.randint(33, 60),
            "chat": 10 * rng.randint(45, 70),
            "email": 10 * rng.randint(30, 54),
        },
    )


@cache
def _market_holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


def _hour_value(shape: tuple[float, ...], hour: float) -> float:
    low = int(hour) % 24
    high = (low + 1) % 24
    frac = hour - int(hour)
    return shape[low] * (1 - frac) + shape[high] * frac


def base_volumes(
    language: str,
    profile: LanguageProfile,
    interval_starts_utc: list[datetime],
    interval_minutes: int,
    always_on: bool,
    rng: random.Random,
) -> dict[str, list[float]]:
    """Unscaled contacts per interval for each channel; the mean total is about 1."""
    market = MARKETS[language]
    opens, closes = market.open_hours
    volumes = {channel: [0.0] * len(interval_starts_utc) for channel in CHANNELS}
    half = interval_minutes / 2 / 60
    for zone_name, country, share in market.zones:
        zone = ZoneInfo(zone_name)
        day_noise: dict[date, float] = {}
        for index, start_utc in enumerate(interval_starts_utc):
            local = start_utc.astimezone(zone)
            hour = local.hour + local.minute / 60 + half
            day = local.date()
            if day not in day_noise:
                day_noise[day] = rng.lognormvariate(0.0, DAY_NOISE)
            is_holiday = day in _market_holidays(country, day.year)
            lines_open = always_on or (
                opens <= hour % 24 < closes and day.weekday() < market.open_weekdays
            )
            for channel in CHANNELS:
                if channel != "email" and not lines_open:
                    continue
                weekday = WEEKDAY_FACTOR[channel][day.weekday()]
                if is_holiday:
                    weekday = min(weekday, HOLIDAY_FACTOR)
                value = _hour_value(HOURLY_SHAPE[channel], hour) * weekday * day_noise[day]
                volumes[channel][index] += share * profile.mix[channel] * value
    for channel in CHANNELS:
        series = volumes[channel]
        for index, value in enumerate(series):
            series[index] = value * max(0.0, rng.gauss(1.0, INTERVAL_NOISE))
    mean_total = sum(sum(v) for v in volumes.values()) / len(interval_starts_utc)
    return {channel: [v / mean_total for v in series] for channel, series in volumes.items()}
