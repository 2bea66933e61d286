"""Forecast rows -> per language and channel arrays over the horizon's intervals.

One ``ChannelLoad`` holds what the requirement table, the per-channel export and
the projection all need: volume, handling time, offered traffic and the agents
the channel needs before shrinkage (whole agents for phone and chat, a
fractional load for email).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from scheduler.domain import (
    DEFERRED_CHANNELS,
    FORECAST_CHANNELS,
    EmailService,
    ForecastRow,
    QueueService,
    Scenario,
)
from scheduler.requirements import erlang_a, erlang_c
from scheduler.requirements.email import spread_email_load
from scheduler.requirements.markets import interval_factors


@dataclass(frozen=True)
class ChannelLoad:
    """Arrays indexed by interval for one language and channel."""

    language: str
    channel: str
    volume: np.ndarray
    aht_seconds: np.ndarray
    """Average handling time per contact as forecast (0 where volume is 0)."""
    traffic_erlangs: np.ndarray
    """Offered load: volume x handling time / interval seconds (chat: aht / concurrency)."""
    agents: np.ndarray
    """Agents on this channel before shrinkage; email: the spread, fractional load."""


def queue_service(scenario: Scenario, channel: str, language: str = "") -> QueueService:
    """The target of a queued channel: the language's market's own, else the scenario's."""
    if channel not in ("phone", "chat"):
        raise ValueError(f"channel {channel!r} is not a queued channel (phone or chat)")
    market = scenario.markets.of(language) if language else None
    own = getattr(market, channel) if market is not None else None
    return own or getattr(scenario, channel)


def deferred_service(scenario: Scenario, channel: str, language: str = "") -> EmailService:
    """The response window of e-mail or messaging: the market's own, else the scenario's."""
    if channel not in DEFERRED_CHANNELS:
        raise ValueError(f"channel {channel!r} is not deferrable ({', '.join(DEFERRED_CHANNELS)})")
    market = scenario.markets.of(language) if language else None
    own = getattr(market, channel) if market is not None else None
    return own or getattr(scenario, channel)


def longest_response_hours(scenario: Scenario) -> float:
    """The widest deferrable window of any channel and language (how far back rows count)."""
    hours = [scenario.email.response_hours, scenario.messaging.response_hours]
    for market in scenario.markets.by_language:
        hours += [s.response_hours for s in (market.email, market.messaging) if s is not None]
    return max(hours)


def handling_seconds(service: QueueService, aht_seconds: np.ndarray) -> np.ndarray:
    """Time one contact keeps one agent's slot busy: chat agents juggle `concurrency` chats."""
    if not service.concurrency > 0:
        raise ValueError(f"concurrency must be > 0, got {service.concurrency!r}")
    return np.asarray(aht_seconds, dtype=float) / service.concurrency


def queued_agents_needed(
    service: QueueService, traffic: np.ndarray, handling: np.ndarray, max_occupancy: float
) -> np.ndarray:
    """Fewest agents per interval under the channel's queue model."""
    if service.model == "erlang_c":
        return erlang_c.agents_needed_many(
            traffic, handling, service.answer_seconds, service.service_level, max_occupancy
        )
    if service.model == "erlang_a":
        return erlang_a.agents_needed_many(
            traffic,
            handling,
            service.answer_seconds,
            service.service_level,
            max_occupancy,
            _patience(service),
        )
    raise ValueError(f"queue model must be 'erlang_c' or 'erlang_a', got {service.model!r}")


def _patience(service: QueueService) -> float:
    if service.patience_seconds is None or not service.patience_seconds > 0:
        raise ValueError(f"erlang_a needs patience_seconds > 0, got {service.patience_seconds!r}")
    return float(service.patience_seconds)


def _grid(
    scenario: Scenario, rows: Iterable[ForecastRow]
) -> tuple[dict[tuple[str, str], tuple[np.ndarray, np.ndarray]], int]:
    """(language, channel) -> (volume, workload seconds) per interval, and the lead.

    Rows before the horizon are kept for email only (their window may reach into
    it), as index offsets below 0; rows at or after the horizon end are ignored.
    """
    horizon = scenario.horizon
    count = horizon.interval_count
    interval_seconds = horizon.interval_minutes * 60
    lead = int(np.ceil(longest_response_hours(scenario) * 3600 / interval_seconds)) + 1
    grids: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    seen: set[tuple[int, str, str]] = set()
    for row in rows:
        if row.channel not in FORECAST_CHANNELS:
            raise ValueError(
                f"forecast channel must be one of {FORECAST_CHANNELS}, got {row.channel!r}"
            )
        offset_seconds = (row.interval_start_utc - horizon.start_utc).total_seconds()
        if offset_seconds % interval_seconds:
            raise ValueError(
                f"forecast interval_start {row.interval_start_utc.isoformat()} is not on the "
                f"{horizon.interval_minutes}-minute grid aligned to 00:00Z"
            )
        index = int(offset_seconds // interval_seconds)
        first = -lead if row.channel in DEFERRED_CHANNELS else 0
        if not first <= index < count:
            continue
        key = (index, row.language, row.channel)
        if key in seen:
            raise ValueError(
                f"forecast has two rows for {row.interval_start_utc.isoformat()}, "
                f"{row.language}, {row.channel}"
            )
        seen.add(key)
        if row.volume < 0 or row.aht_seconds < 0:
            raise ValueError(f"forecast volume and aht_seconds must be >= 0, got {row!r}")
        volume, work = grids.setdefault(
            (row.language, row.channel), (np.zeros(count + lead), np.zeros(count + lead))
        )
        volume[index + lead] = row.volume
        work[index + lead] = row.volume * row.aht_seconds
    _apply_markets(scenario, grids, lead)
    return grids, lead


def _apply_markets(
    scenario: Scenario, grids: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]], lead: int
) -> None:
    """Scale each language's volume and work by its markets' holiday factors.

    Languages without a market are left untouched (not multiplied by 1), so a
    scenario without ``[markets]`` computes exactly what it did before.
    """
    horizon = scenario.horizon
    first_utc = horizon.start_utc - lead * horizon.interval
    count = horizon.interval_count + lead
    starts = [first_utc + i * horizon.interval for i in range(count)]
    factors: dict[str, np.ndarray | None] = {}
    for (language, _channel), (volume, work) in grids.items():
        if language not in factors:
            factors[language] = interval_factors(scenario, language, starts)
        factor = factors[language]
        if factor is not None:
            volume *= factor
            work *= factor


def channel_loads(scenario: Scenario) -> dict[tuple[str, str], ChannelLoad]:
    """Every (language, channel) with forecast rows, as arrays over the horizon."""
    if scenario.forecast is None:
        return {}
    horizon = scenario.horizon
    interval_seconds = horizon.interval_minutes * 60.0
    max_occupancy = scenario.staffing.max_occupancy
    grids, lead = _grid(scenario, scenario.forecast)
    loads: dict[tuple[str, str], ChannelLoad] = {}
    for (language, channel), (padded_volume, padded_work) in sorted(grids.items()):
        volume, work = padded_volume[lead:], padded_work[lead:]
        with np.errstate(divide="ignore", invalid="ignore"):
            aht = np.where(volume > 0, work / np.where(volume > 0, volume, 1.0), 0.0)
        if channel in DEFERRED_CHANNELS:
            workload = padded_work / interval_seconds
            hours = deferred_service(scenario, channel, language).response_hours
            spread = spread_email_load(workload, hours, horizon.interval_minutes)[lead:]
            traffic, agents = workload[lead:], spread
        else:
            service = queue_service(scenario, channel, language)
            handling = handling_seconds(service, aht)
            traffic = volume * handling / interval_seconds
            agents = queued_agents_needed(service, traffic, handling, max_occupancy)
        loads[(language, channel)] = ChannelLoad(
            language, channel, volume, aht, traffic, np.asarray(agents, dtype=float)
        )
    return loads
