"""Write the requirement table as an editable ``required.csv`` plus a per-channel view.

A planner can edit the first file and feed it back as a scenario's
``required.csv``; the second (``<stem>_by_channel.csv``) shows where each number
comes from: volume, handling time, traffic, agents and the measures they give.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from calendars.zones import iso_utc
from scheduler.domain import DEFERRED_CHANNELS, Scenario
from scheduler.requirements import erlang_a, erlang_c
from scheduler.requirements.table import compute_requirements
from scheduler.requirements.workload import channel_loads, handling_seconds, queue_service

REQUIRED_HEADER = ("interval_start", "language", "required")
BY_CHANNEL_HEADER = (
    "interval_start",
    "language",
    "channel",
    "volume",
    "aht_seconds",
    "traffic_erlangs",
    "agents",
    "service_level",
    "asa_seconds",
    "occupancy",
)


def by_channel_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}_by_channel{out.suffix or '.csv'}")


def write_requirements(scenario: Scenario, out: Path) -> list[Path]:
    """Write ``out`` (required.csv format) and its per-channel breakdown; return both."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    table = compute_requirements(scenario)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(REQUIRED_HEADER)
        for start_utc, language, required in table.rows():
            writer.writerow((iso_utc(start_utc), language, required))
    breakdown = by_channel_path(out)
    with breakdown.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(BY_CHANNEL_HEADER)
        writer.writerows(_channel_rows(scenario))
    return [out, breakdown]


def _channel_rows(scenario: Scenario) -> list[tuple[str, ...]]:
    """One row per interval, language and forecast channel, in that order."""
    starts = scenario.horizon.interval_starts()
    rows: list[tuple[tuple[int, str, int], tuple[str, ...]]] = []
    channel_order = {"phone": 0, "chat": 1, "email": 2, "messaging": 3}
    for (language, channel), load in channel_loads(scenario).items():
        deferred = channel in DEFERRED_CHANNELS
        service = None if deferred else queue_service(scenario, channel, language)
        for index, start_utc in enumerate(starts):
            traffic = float(load.traffic_erlangs[index])
            agents = float(load.agents[index])
            level, asa, busy = "", "", ""
            if service is not None and traffic > 0:
                handling = float(handling_seconds(service, load.aht_seconds[index]))
                level, asa, busy = _measures(service, agents, traffic, handling)
            agents_text = _number(agents) if deferred else str(int(agents))
            rows.append(
                (
                    (index, language, channel_order[channel]),
                    (
                        iso_utc(start_utc),
                        language,
                        channel,
                        _number(float(load.volume[index])),
                        _number(float(load.aht_seconds[index])),
                        _number(traffic),
                        agents_text,
                        level,
                        asa,
                        busy,
                    ),
                )
            )
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


def _measures(service, agents: float, traffic: float, handling: float) -> tuple[str, str, str]:
    if service.model == "erlang_a":
        found = erlang_a.measures(
            agents, traffic, handling, service.answer_seconds, service.patience_seconds
        )
        return _number(found.service_level), _number(found.asa_seconds), _number(found.occupancy)
    return (
        _number(erlang_c.service_level(agents, traffic, handling, service.answer_seconds)),
        _number(erlang_c.average_speed_of_answer(agents, traffic, handling)),
        _number(erlang_c.occupancy(agents, traffic)),
    )


def _number(value: float) -> str:
    """Six decimals without trailing zeros: readable and exact enough to re-read."""
    if math.isinf(value):
        return "inf"
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
