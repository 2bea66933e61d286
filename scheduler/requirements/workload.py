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

from scheduler.domain import CHANNELS, ForecastRow, QueueService, Scenario
from scheduler.requirements import erlang_a, erlang_c
from scheduler.requirements.email import spread_email_load


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


def queue_service(scenario: Scenario, channel: str) -> QueueService:
    if channel == "phone":
        return scenario.phone
    if channel == "chat":
        return scenario.chat
    raise ValueError(f"channel {channel!r} is not a queued channel (phone or chat)")


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
    lead = int(np.ceil(scenario.email.response_hours * 3600 / interval_seconds)) + 1
    grids: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    seen: set[tuple[int, str, str]] = set()
    for row in rows:
        if row.channel not in CHANNELS:
            raise ValueError(f"forecast channel must be one of {CHANNELS}, got {row.channel!r}")
        offset_seconds = (row.interval_start_utc - horizon.start_utc).total_seconds()
        if offset_seconds % interval_seconds:
            raise ValueError(
                f"forecast interval_start {row.interval_start_utc.isoformat()} is not on the "
                f"{horizon.interval_minutes}-minute grid aligned to 00:00Z"
            )
        index = int(offset_seconds // interval_seconds)
        first = -lead if row.channel == "email" else 0
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
    return grids, lead


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
        if channel == "email":
            workload = padded_work / interval_seconds
            spread = spread_email_load(
                workload, scenario.email.response_hours, horizon.interval_minutes
            )[lead:]
            traffic, agents = workload[lead:], spread
        else:
            service = queue_service(scenario, channel)
            handling = handling_seconds(service, aht)
            traffic = volume * handling / interval_seconds
            agents = queued_agents_needed(service, traffic, handling, max_occupancy)
        loads[(language, channel)] = ChannelLoad(
            language, channel, volume, aht, traffic, np.asarray(agents, dtype=float)
        )
    return loads
