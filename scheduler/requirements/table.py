"""The requirement table: agents needed per interval and language.

Built from ``required.csv`` rows when the scenario has them, otherwise from the
forecast exactly as the spec defines (Erlang C or A per queued channel, email
spread over its response window, shrinkage, the always-on floor).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from scheduler.domain import Scenario
from scheduler.requirements.workload import channel_loads

CEIL_NOISE = 1e-9
"""ceil(x - 1e-9): 2.0000000000000004 agents of float noise is 2 agents, not 3."""


@dataclass(frozen=True)
class RequirementTable:
    """Agents needed per interval index and language (after shrinkage and floors)."""

    interval_starts_utc: tuple[datetime, ...]
    languages: tuple[str, ...]
    required: Mapping[str, tuple[int, ...]]

    def at(self, language: str, index: int) -> int:
        return self.required[language][index]

    def rows(self) -> Iterator[tuple[datetime, str, int]]:
        """(interval start, language, required) in (interval, language) order."""
        for index, start_utc in enumerate(self.interval_starts_utc):
            for language in self.languages:
                yield start_utc, language, self.required[language][index]

    def total(self) -> int:
        """Agent-intervals needed over the horizon (the solver's upper bound on cover)."""
        return sum(sum(values) for values in self.required.values())


def gross_up(net_agents: np.ndarray, shrinkage: float) -> np.ndarray:
    """Whole agents to schedule so ``net_agents`` remain after shrinkage."""
    if not 0 <= shrinkage < 1:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage!r}")
    return np.ceil(np.asarray(net_agents, dtype=float) / (1.0 - shrinkage) - CEIL_NOISE)


def compute_requirements(scenario: Scenario) -> RequirementTable:
    """Agents needed per interval and language, from required rows or the forecast."""
    horizon = scenario.horizon
    starts = tuple(horizon.interval_starts())
    languages = scenario.languages
    count = len(starts)
    if scenario.required is not None:
        needed = {language: np.zeros(count) for language in languages}
        for row in scenario.required:
            index = _index_on_grid(scenario, row.interval_start_utc)
            if 0 <= index < count:
                needed[row.language][index] = row.required
    else:
        net = {language: np.zeros(count) for language in languages}
        for (language, _channel), load in channel_loads(scenario).items():
            net[language] = net[language] + load.agents
        needed = {
            language: gross_up(values, scenario.staffing.shrinkage)
            for language, values in net.items()
        }
    floor = scenario.coverage.min_agents
    for language in scenario.coverage.always_on:
        needed[language] = np.maximum(needed[language], floor)
    return RequirementTable(
        interval_starts_utc=starts,
        languages=languages,
        required={
            language: tuple(int(value) for value in needed[language]) for language in languages
        },
    )


def _index_on_grid(scenario: Scenario, instant_utc: datetime) -> int:
    horizon = scenario.horizon
    offset = (instant_utc - horizon.start_utc).total_seconds()
    interval_seconds = horizon.interval_minutes * 60
    if offset % interval_seconds:
        raise ValueError(
            f"required interval_start {instant_utc.isoformat()} is not on the "
            f"{horizon.interval_minutes}-minute grid aligned to 00:00Z"
        )
    return math.floor(offset / interval_seconds)
