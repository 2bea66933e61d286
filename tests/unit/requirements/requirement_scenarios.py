"""Scenario builders for requirement tests: small hand-made ones, and the spec example."""

from __future__ import annotations

import csv
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

from scheduler.domain import (
    Coverage,
    EmailService,
    ForecastRow,
    Horizon,
    QueueService,
    RequiredRow,
    Rules,
    Scenario,
    Staffing,
)

START = date(2027, 3, 8)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def make_scenario(
    forecast: tuple[ForecastRow, ...] | None = None,
    required: tuple[RequiredRow, ...] | None = None,
    *,
    days: int = 1,
    interval_minutes: int = 60,
    phone: QueueService | None = None,
    chat: QueueService | None = None,
    response_hours: float = 24,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    always_on: tuple[str, ...] = (),
    min_agents: int = 1,
) -> Scenario:
    """A scenario with no sites or agents: requirements only read demand and targets."""
    return Scenario(
        name="requirements test",
        horizon=Horizon(START, days, interval_minutes),
        phone=phone or QueueService(service_level=0.8, answer_seconds=20),
        chat=chat or QueueService(service_level=0.8, answer_seconds=60, concurrency=2),
        email=EmailService(response_hours=response_hours),
        staffing=Staffing(shrinkage=shrinkage, max_occupancy=max_occupancy),
        coverage=Coverage(always_on=always_on, min_agents=min_agents),
        rules=Rules(),
        sites=(),
        agents=(),
        forecast=forecast,
        required=required,
    )


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _read_spec_example(folder: Path) -> Scenario:
    """Just the parts requirements read, for when the real importer is not there yet."""
    settings = tomllib.loads((folder / "scenario.toml").read_text(encoding="utf-8"))
    service = settings["service"]
    with (folder / "forecast.csv").open(encoding="utf-8") as handle:
        forecast = tuple(
            ForecastRow(
                _instant(row["interval_start"]),
                row["language"],
                row["channel"],
                float(row["volume"]),
                float(row["aht_seconds"]),
            )
            for row in csv.DictReader(handle)
        )
    horizon = settings["horizon"]
    return Scenario(
        name=settings["name"],
        horizon=Horizon(horizon["start"], horizon["days"], horizon["interval_minutes"]),
        phone=QueueService(**service["phone"]),
        chat=QueueService(**service["chat"]),
        email=EmailService(**service["email"]),
        staffing=Staffing(**settings["staffing"]),
        coverage=Coverage(
            tuple(settings["coverage"]["always_on"]), settings["coverage"]["min_agents"]
        ),
        rules=Rules(),
        sites=(),
        agents=(),
        forecast=forecast,
    )


def load_spec_example(folder: Path) -> Scenario:
    try:
        from scheduler.imports import load_scenario
    except ImportError:
        return _read_spec_example(folder)
    return load_scenario(folder)
