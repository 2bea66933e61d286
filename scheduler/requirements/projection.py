"""What a given staffing achieves: service level, ASA, occupancy and abandonment.

Staffed agents of a language are shared over its channels, the way a blended
team works: shrinkage comes off first, then email takes its spread load (it is
deferrable work that has to be done within its window), and what remains is
split between phone and chat in proportion to the agents each needs. The split
is fractional; Erlang B's continuous extension gives measures for fractional
agents, so one extra agent always shows as a small, smooth improvement.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pycountry

from scheduler.domain import DEFERRED_CHANNELS, Scenario
from scheduler.requirements import erlang_a, erlang_c
from scheduler.requirements.workload import (
    ChannelLoad,
    channel_loads,
    deferred_service,
    handling_seconds,
    queue_service,
)


@dataclass(frozen=True)
class Projection:
    """Projected outcome of one channel of one language in one interval."""

    interval_start_utc: datetime
    language: str
    channel: str
    volume: float
    traffic_erlangs: float
    agents: float
    """Agents working this channel after shrinkage (a fractional share)."""
    service_level: float
    """Phone and chat: answered within the answer time; email: share of its load covered."""
    asa_seconds: float | None
    occupancy: float | None
    abandonment: float | None
    """Erlang A only: share of arrivals that hang up."""


def project(scenario: Scenario, staffed: Mapping[str, Sequence[int]]) -> list[Projection]:
    """Projections per interval, language and forecast channel for ``staffed`` agents.

    ``staffed[language][i]`` counts agents on that language in interval i; a
    language left out has none. Without a forecast there is nothing to project.
    """
    count = scenario.horizon.interval_count
    for language, values in staffed.items():
        if len(values) != count:
            raise ValueError(
                f"staffed[{language!r}] has {len(values)} intervals, the horizon has {count}"
            )
    loads = channel_loads(scenario)
    if not loads:
        return []
    shrinkage = scenario.staffing.shrinkage
    starts = scenario.horizon.interval_starts()
    found: list[Projection] = []
    for language in scenario.languages:
        channels = {ch: load for (lang, ch), load in loads.items() if lang == language}
        if not channels:
            continue
        productive = np.asarray(staffed.get(language, [0] * count), dtype=float)
        productive = productive * (1.0 - shrinkage)
        shares = _split(productive, channels)
        for index, start_utc in enumerate(starts):
            for channel, load in channels.items():
                found.append(
                    _project_one(scenario, start_utc, index, load, float(shares[channel][index]))
                )
    found.sort(key=lambda p: (p.interval_start_utc, p.language, p.channel))
    return found


def _split(productive: np.ndarray, channels: Mapping[str, ChannelLoad]) -> dict[str, np.ndarray]:
    """Agents per channel: e-mail's load first, then messaging's, the rest by phone
    and chat need."""
    shares: dict[str, np.ndarray] = {}
    remaining = productive
    for channel in DEFERRED_CHANNELS:
        if channel in channels:
            shares[channel] = np.minimum(channels[channel].agents, remaining)
            remaining = remaining - shares[channel]
    queued = [channel for channel in ("phone", "chat") if channel in channels]
    total_need = sum(channels[channel].agents for channel in queued)
    for channel in queued:
        need = channels[channel].agents
        with np.errstate(divide="ignore", invalid="ignore"):
            part = np.where(total_need > 0, need / np.where(total_need > 0, total_need, 1), 0)
        shares[channel] = remaining * part
    return shares


def _project_one(
    scenario: Scenario, start_utc: datetime, index: int, load: ChannelLoad, agents: float
) -> Projection:
    volume = float(load.volume[index])
    traffic = float(load.traffic_erlangs[index])
    common = {
        "interval_start_utc": start_utc,
        "language": load.language,
        "channel": load.channel,
        "volume": volume,
        "traffic_erlangs": traffic,
        "agents": agents,
    }
    if load.channel in DEFERRED_CHANNELS:
        need = float(load.agents[index])
        covered = 1.0 if need <= 0 else min(1.0, agents / need)
        busy = None if agents <= 0 else min(1.0, need / agents)
        return Projection(
            **common, service_level=covered, asa_seconds=None, occupancy=busy, abandonment=None
        )
    if traffic == 0:
        return Projection(
            **common, service_level=1.0, asa_seconds=0.0, occupancy=0.0, abandonment=None
        )
    service = queue_service(scenario, load.channel, load.language)
    handling = float(handling_seconds(service, load.aht_seconds[index]))
    if service.model == "erlang_a":
        found = erlang_a.measures(
            agents, traffic, handling, service.answer_seconds, service.patience_seconds or 0.0
        )
        return Projection(
            **common,
            service_level=found.service_level,
            asa_seconds=found.asa_seconds,
            occupancy=found.occupancy,
            abandonment=found.abandonment,
        )
    return Projection(
        **common,
        service_level=erlang_c.service_level(agents, traffic, handling, service.answer_seconds),
        asa_seconds=erlang_c.average_speed_of_answer(agents, traffic, handling),
        occupancy=erlang_c.occupancy(agents, traffic),
        abandonment=None,
    )


def language_name(code: str) -> str:
    """'de' -> 'German'; unknown codes are shown as given."""
    found = pycountry.languages.get(alpha_2=code)
    return found.name if found is not None else code


def describe_shortfalls(scenario: Scenario, projections: Iterable[Projection]) -> list[str]:
    """Planner phrases for runs of consecutive intervals that miss the target.

    E.g. "German phone 61% within 20 s on Tue 2027-03-09 09:00-11:00 UTC": the
    percentage is volume-weighted over the run. Email runs say how much of the
    work the staffing covers. Times are UTC (site-local rendering comes later).
    """
    step = scenario.horizon.interval
    runs: dict[tuple[str, str], list[list[Projection]]] = {}
    for item in sorted(projections, key=lambda p: (p.language, p.channel, p.interval_start_utc)):
        target = channel_target(scenario, item.channel, item.language)
        if item.service_level >= target or item.volume <= 0:
            continue
        groups = runs.setdefault((item.language, item.channel), [])
        if groups and groups[-1][-1].interval_start_utc + step == item.interval_start_utc:
            groups[-1].append(item)
        else:
            groups.append([item])
    phrases = []
    for (language, channel), groups in runs.items():
        for group in groups:
            weights = [max(p.volume, 1e-12) for p in group]
            level = sum(w * p.service_level for w, p in zip(weights, group, strict=True))
            level /= sum(weights)
            start = group[0].interval_start_utc
            end = group[-1].interval_start_utc + step
            phrases.append(
                f"{language_name(language)} {channel} "
                f"{_measure(scenario, channel, language, level)} "
                f"{_period(start, end)}"
            )
    return phrases


def channel_target(scenario: Scenario, channel: str, language: str = "") -> float:
    """The share a channel must reach: its service level (the language's market's
    own where it has one); e-mail and messaging: all work within the response hours."""
    if channel in DEFERRED_CHANNELS:
        return 1.0
    return queue_service(scenario, channel, language).service_level


def target_wording(scenario: Scenario, channel: str, language: str = "") -> str:
    """What the target promises, for people: 'within 20 s', 'within 48 h'."""
    if channel in DEFERRED_CHANNELS:
        hours = deferred_service(scenario, channel, language).response_hours
        return f"within {hours:g} h"
    return f"within {queue_service(scenario, channel, language).answer_seconds:g} s"


def _measure(scenario: Scenario, channel: str, language: str, level: float) -> str:
    percent = math.floor(level * 100)
    if channel in DEFERRED_CHANNELS:
        return f"{percent}% of the work covered"
    return f"{percent}% {target_wording(scenario, channel, language)}"


def _period(start: datetime, end: datetime) -> str:
    """'on Tue 2027-03-09 09:00-11:00 UTC', or 'from ... to ... UTC' across midnight."""
    last_instant = end - timedelta(microseconds=1)
    if last_instant.date() == start.date():
        end_text = "24:00" if end.date() != start.date() else f"{end:%H:%M}"
        return f"on {start:%a %Y-%m-%d %H:%M}-{end_text} UTC"
    return f"from {start:%a %Y-%m-%d %H:%M} to {end:%a %Y-%m-%d %H:%M} UTC"
