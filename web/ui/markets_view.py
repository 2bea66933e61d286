"""What the period page shows of a scenario's markets (no Flask here): per language,
its countries and promises, and per UTC day the forecast as written against the one
the requirements use, with the market holidays that changed it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from scheduler.domain import Market, Scenario
from scheduler.requirements.markets import LISTED_DATE, AdjustedDay, adjusted_forecast
from scheduler.requirements.projection import channel_target, target_wording
from scheduler.requirements.workload import channel_loads


@dataclass(frozen=True)
class MarketDay:
    day: date
    base: float
    adjusted: float
    reasons: tuple[str, ...]
    """'JP Children's Day (Wed 05 May): 100% of demand x0.3'."""

    @property
    def changed(self) -> bool:
        return abs(self.adjusted - self.base) > 1e-9

    @property
    def change_percent(self) -> float:
        return 0.0 if self.base <= 0 else 100 * (self.adjusted - self.base) / self.base


@dataclass(frozen=True)
class MarketView:
    language: str
    countries: str
    """'DE 80%, AT 10%, CH 10%', or '' when the market only sets targets."""
    holiday_factor: float
    promises: tuple[str, ...]
    """'phone 80% within 300 s' for each forecast channel of the language."""
    days: tuple[MarketDay, ...]


def market_views(scenario: Scenario) -> list[MarketView]:
    """One view per language with a ``[markets.<lang>]`` table, in language order."""
    markets = scenario.markets.by_language
    if not markets:
        return []
    by_language: dict[str, list[AdjustedDay]] = defaultdict(list)
    for item in adjusted_forecast(scenario):
        by_language[item.language].append(item)
    channels = defaultdict(list)
    for language, channel in channel_loads(scenario):
        channels[language].append(channel)
    return [
        MarketView(
            language=market.language,
            countries=", ".join(f"{c} {share:.0%}" for c, share in market.countries),
            holiday_factor=market.holiday_factor,
            promises=tuple(
                f"{ch} {channel_target(scenario, ch, market.language):.0%} "
                f"{target_wording(scenario, ch, market.language)}"
                + (" (its own)" if _own(market, ch) else "")
                for ch in channels[market.language]
            ),
            days=tuple(_day(item) for item in by_language[market.language]),
        )
        for market in sorted(markets, key=lambda m: m.language)
    ]


def _own(market: Market, channel: str) -> bool:
    return getattr(market, channel) is not None


def _day(item: AdjustedDay) -> MarketDay:
    reasons = tuple(
        f"{change.country} {change.name if change.name != LISTED_DATE else 'listed date'} "
        f"({change.day:%a %d %b}): {change.share:.0%} of demand x{change.factor:g}"
        for change in item.changes
    )
    return MarketDay(item.day, item.base, item.adjusted, reasons)
