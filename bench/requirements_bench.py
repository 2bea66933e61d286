"""Time the requirement computation at planner scale and print it (no assertions).

28 days x 96 intervals (15 min) x 20 languages x 3 channels = 161,280 forecast rows,
with volumes and handling times in the ranges of a large follow-the-sun org (up to
several hundred Erlangs per language and interval). Target: under 2 s on 2 cores.

    .venv/bin/python bench/requirements_bench.py
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

import numpy as np

from scheduler.domain import (
    Coverage,
    EmailService,
    ForecastRow,
    Horizon,
    QueueService,
    Rules,
    Scenario,
    Staffing,
)
from scheduler.requirements import compute_requirements, project

LANGUAGES = [
    "ar",
    "de",
    "en",
    "es",
    "fi",
    "fr",
    "he",
    "hi",
    "it",
    "ja",
    "ko",
    "nl",
    "no",
    "pl",
    "pt",
    "ru",
    "sv",
    "th",
    "tr",
    "zh",
]
AHT_SECONDS = {"phone": 420.0, "chat": 600.0, "email": 480.0}


def build_scenario(days: int = 28, interval_minutes: int = 15, seed: int = 1) -> Scenario:
    """A synthetic forecast: a daily double peak per language, scaled by language size."""
    rng = np.random.default_rng(seed)
    horizon = Horizon(date(2027, 3, 8), days, interval_minutes)
    starts = horizon.interval_starts()
    hours = np.array([s.hour + s.minute / 60 for s in starts])
    rows = []
    for rank, language in enumerate(LANGUAGES):
        size = 400.0 / (1 + rank)  # contacts per interval at the peak, phone
        shift = rank % 24
        shape = (
            0.15
            + np.exp(-(((hours - 10 - shift) % 24 - 0) ** 2) / 8)
            + 0.8 * np.exp(-(((hours - 15 - shift) % 24) ** 2) / 6)
        )
        for channel, share in (("phone", 1.0), ("chat", 0.7), ("email", 0.4)):
            volume = np.round(size * share * shape * rng.uniform(0.85, 1.15, hours.size), 2)
            aht = np.round(AHT_SECONDS[channel] * rng.uniform(0.9, 1.1, hours.size))
            for start, v, a in zip(starts, volume, aht, strict=True):
                rows.append(ForecastRow(start, language, channel, float(v), float(a)))
    return Scenario(
        name="requirements bench",
        horizon=horizon,
        phone=QueueService(service_level=0.8, answer_seconds=20),
        chat=QueueService(service_level=0.8, answer_seconds=60, concurrency=2),
        email=EmailService(response_hours=24),
        staffing=Staffing(shrinkage=0.3, max_occupancy=0.85),
        coverage=Coverage(always_on=("en", "de", "ja"), min_agents=1),
        rules=Rules(),
        sites=(),
        agents=(),
        forecast=tuple(rows),
    )


def main() -> None:
    started = time.perf_counter()
    scenario = build_scenario()
    built = time.perf_counter() - started
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        table = compute_requirements(scenario)
        timings.append(time.perf_counter() - started)
    cells = len(table.interval_starts_utc) * len(table.languages)
    peak = max(max(values) for values in table.required.values())
    print(f"forecast rows: {len(scenario.forecast):,} (built in {built:.2f} s)")
    print(f"requirement table: {cells:,} interval x language cells, peak {peak} agents")
    print(
        f"compute_requirements: best {min(timings):.3f} s, runs "
        + ", ".join(f"{t:.3f}" for t in timings)
        + " (target < 2 s)"
    )
    staffed = {language: list(values) for language, values in table.required.items()}
    started = time.perf_counter()
    projections = project(scenario, staffed)
    print(f"project (Erlang C, {len(projections):,} rows): {time.perf_counter() - started:.3f} s")
    small = build_scenario(days=1)
    erlang_a = QueueService(0.8, 20, model="erlang_a", patience_seconds=180)
    small_a = replace(
        small, phone=erlang_a, chat=replace(erlang_a, answer_seconds=60, concurrency=2)
    )
    started = time.perf_counter()
    compute_requirements(small_a)
    print(
        f"compute_requirements, Erlang A, 1 day ({len(small.forecast):,} rows): "
        f"{time.perf_counter() - started:.3f} s"
    )


if __name__ == "__main__":
    main()
