"""A scenario's ``Markets`` as the JSON document ``planning_periods.markets`` keeps, and back.

Shaped like the dataclasses (pairs as two-element lists, dates as ISO text), so a
period rebuilds exactly the ``Markets`` that was imported.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from scheduler.domain import EmailService, Market, Markets, QueueService

QUEUED = ("phone", "chat")
DEFERRED = ("email", "messaging")


def markets_to_json(markets: Markets) -> dict[str, Any] | None:
    """None for no markets (what periods imported before this extension hold)."""
    if not markets.by_language:
        return None
    return {"by_language": [_market_to_json(market) for market in markets.by_language]}


def _market_to_json(market: Market) -> dict[str, Any]:
    found: dict[str, Any] = {
        "language": market.language,
        "countries": [list(pair) for pair in market.countries],
        "timezones": [list(pair) for pair in market.timezones],
        "holiday_factor": market.holiday_factor,
        "holiday_factors": [[day.isoformat(), factor] for day, factor in market.holiday_factors],
    }
    for channel in (*QUEUED, *DEFERRED):
        service = getattr(market, channel)
        found[channel] = asdict(service) if service is not None else None
    return found


def markets_from_json(document: dict[str, Any] | None) -> Markets:
    if not document:
        return Markets()
    return Markets(tuple(_market_from_json(item) for item in document["by_language"]))


def _market_from_json(item: dict[str, Any]) -> Market:
    services: dict[str, Any] = {}
    for channel in QUEUED:
        services[channel] = QueueService(**item[channel]) if item[channel] else None
    for channel in DEFERRED:
        services[channel] = EmailService(**item[channel]) if item[channel] else None
    return Market(
        language=item["language"],
        countries=tuple((country, share) for country, share in item["countries"]),
        timezones=tuple((country, zone) for country, zone in item["timezones"]),
        holiday_factor=item["holiday_factor"],
        holiday_factors=tuple(
            (date.fromisoformat(day), factor) for day, factor in item["holiday_factors"]
        ),
        **services,
    )
