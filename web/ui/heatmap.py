"""The coverage heatmap and projected service level of a roster (no Flask here).

Two views of one roster's coverage, both on the UTC grid the optimiser works on:
an overview (language by UTC day, the share of required agent-intervals that is
missing) and a detail for one language (UTC day by interval). Days carry markers
for what a planner must know when reading them: a site's clocks changing (with the
exact instant, so the interval can be marked) and a site's public holidays.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from calendars.public_holidays import site_holidays
from scheduler.domain import Roster, Scenario
from scheduler.exports.local_clock import offset_changes, utc_offset
from scheduler.requirements.projection import (
    Projection,
    channel_target,
    project,
    target_wording,
)
from web.summary import format_offset

LEVELS = ((0.0, "ok"), (0.1, "s1"), (0.25, "s2"), (0.5, "s3"), (1.01, "s4"))
"""(largest missing share, css class): ok is fully covered, s4 more than half missing."""


def level(required: int, staffed: int) -> str:
    """The colour class of a cell: none without demand, else by the missing share."""
    if required <= 0:
        return "none"
    missing = max(0, required - staffed) / required
    for bound, name in LEVELS:
        if missing <= bound:
            return name
    return "s4"


@dataclass(frozen=True)
class Marker:
    """Something that happens on a UTC day: ``kind`` is ``dst`` or ``holiday``."""

    kind: str
    site: str
    text: str
    instant_utc: datetime | None = None


@dataclass(frozen=True)
class Cell:
    required: int
    staffed: int

    @property
    def level(self) -> str:
        return level(self.required, self.staffed)

    @property
    def missing(self) -> int:
        return max(0, self.required - self.staffed)

    @property
    def text(self) -> str:
        """The cell in words, for the detail view whose cells are too small to show it."""
        if self.required <= 0:
            return "no demand" if self.staffed <= 0 else f"no demand, {self.staffed} staffed"
        if self.missing:
            return f"{self.staffed} of {self.required} staffed, {self.missing} short"
        return f"{self.staffed} of {self.required} staffed, covered"


@dataclass(frozen=True)
class DayRow:
    day: date
    cells: tuple[Cell, ...]
    markers: tuple[Marker, ...]
    dst_columns: frozenset[int] = frozenset()
    """Intervals of the day in which some site's clocks change."""


@dataclass(frozen=True)
class Overview:
    days: tuple[date, ...]
    languages: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    """One row per language, one cell per UTC day."""
    markers: dict[date, tuple[Marker, ...]]


@dataclass(frozen=True)
class Detail:
    language: str
    column_labels: tuple[str, ...]
    rows: tuple[DayRow, ...]


def _series(scenario: Scenario, roster: Roster) -> dict[str, tuple[list[int], list[int]]]:
    """(required, staffed) per interval of the horizon, per language."""
    count = scenario.horizon.interval_count
    start = scenario.horizon.start_utc
    step = timedelta(minutes=scenario.horizon.interval_minutes)
    series: dict[str, tuple[list[int], list[int]]] = {}
    for row in roster.coverage:
        required, staffed = series.setdefault(row.language, ([0] * count, [0] * count))
        index = int((row.interval_start_utc - start) / step)
        if 0 <= index < count:
            required[index] = row.required
            staffed[index] = row.staffed
    return series


def day_markers(scenario: Scenario) -> dict[date, tuple[Marker, ...]]:
    """Clock changes and public holidays of every site, by the UTC day they fall on
    (a holiday by its local date)."""
    horizon = scenario.horizon
    found: dict[date, list[Marker]] = defaultdict(list)
    years = {horizon.dates[0].year, horizon.dates[-1].year}
    for site in scenario.sites:
        for instant in offset_changes(site.timezone, horizon.start_utc, horizon.end_utc):
            before = format_offset(utc_offset(site.timezone, instant - timedelta(seconds=1)))
            after = format_offset(utc_offset(site.timezone, instant))
            text = f"clocks change {before} → {after} at {instant:%H:%M} UTC"
            found[instant.date()].append(Marker("dst", site.name, text, instant))
        holidays = site_holidays(site.country, site.subdivision, years, site.extra_holidays)
        for day, name in sorted(holidays.items()):
            if day in horizon.dates:
                found[day].append(Marker("holiday", site.name, name))
    return {day: tuple(markers) for day, markers in found.items()}


def overview(scenario: Scenario, roster: Roster) -> Overview:
    horizon = scenario.horizon
    per_day = len(horizon.interval_starts()) // horizon.days
    series = _series(scenario, roster)
    languages = tuple(sorted(series))
    rows = []
    for language in languages:
        required, staffed = series[language]
        rows.append(
            tuple(
                Cell(
                    sum(required[d * per_day : (d + 1) * per_day]),
                    sum(
                        min(r, s)
                        for r, s in zip(
                            required[d * per_day : (d + 1) * per_day],
                            staffed[d * per_day : (d + 1) * per_day],
                            strict=True,
                        )
                    ),
                )
                for d in range(horizon.days)
            )
        )
    return Overview(tuple(horizon.dates), languages, tuple(rows), day_markers(scenario))


def detail(scenario: Scenario, roster: Roster, language: str) -> Detail:
    horizon = scenario.horizon
    step = timedelta(minutes=horizon.interval_minutes)
    per_day = len(horizon.interval_starts()) // horizon.days
    count = horizon.interval_count
    required, staffed = _series(scenario, roster).get(language, ([0] * count, [0] * count))
    markers = day_markers(scenario)
    labels = tuple(
        (datetime.combine(horizon.start, time(0)) + i * step).strftime("%H:%M")
        for i in range(per_day)
    )
    rows = []
    for d, day in enumerate(horizon.dates):
        first = d * per_day
        day_start = datetime.combine(day, time(0), tzinfo=UTC)
        dst_columns = frozenset(
            int((marker.instant_utc - day_start) / step)
            for marker in markers.get(day, ())
            if marker.kind == "dst" and marker.instant_utc is not None
        )
        cells = tuple(Cell(required[first + i], staffed[first + i]) for i in range(per_day))
        rows.append(DayRow(day, cells, markers.get(day, ()), dst_columns))
    return Detail(language, labels, tuple(rows))


@dataclass(frozen=True)
class ServiceLevel:
    """A language's projected outcome on one channel over the horizon."""

    language: str
    channel: str
    volume: float
    achieved: float
    """Volume-weighted service level (email: the share of its load covered)."""
    target: float
    """The share that applies to this language and channel (its market's own, if any;
    e-mail and messaging: 100% of the work within the response hours)."""
    promise: str = ""
    """The target in words: 'within 20 s', 'within 48 h'."""

    @property
    def below(self) -> bool:
        return self.achieved + 1e-9 < self.target

    @property
    def percent(self) -> int:
        """The achieved share in whole percent, rounded down (a miss never reads as the
        target), but 100 when the target is met to float precision."""
        return 100 if self.achieved >= 1 - 1e-9 else math.floor(100 * self.achieved + 1e-7)


def projected_service_levels(scenario: Scenario, roster: Roster) -> dict[str, list[ServiceLevel]]:
    """Per language, each forecast channel's projected service level with the roster's
    staffing (empty when the scenario gives required agents instead of a forecast)."""
    series = _series(scenario, roster)
    staffed = {language: values[1] for language, values in series.items()}
    return _aggregate(scenario, project(scenario, staffed))


def _aggregate(
    scenario: Scenario, projections: Iterable[Projection]
) -> dict[str, list[ServiceLevel]]:
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for item in projections:
        entry = sums[(item.language, item.channel)]
        entry[0] += item.volume
        entry[1] += item.volume * item.service_level
    found: dict[str, list[ServiceLevel]] = defaultdict(list)
    for (language, channel), (volume, weighted) in sorted(sums.items()):
        achieved = weighted / volume if volume else 1.0
        found[language].append(
            ServiceLevel(
                language,
                channel,
                volume,
                achieved,
                channel_target(scenario, channel, language),
                target_wording(scenario, channel, language),
            )
        )
    return dict(found)


def worst_language(overview_: Overview) -> str | None:
    """The language missing the most agent-intervals: the detail view opens on it."""
    if not overview_.languages:
        return None
    missing = [sum(cell.missing for cell in row) for row in overview_.rows]
    return overview_.languages[max(range(len(missing)), key=missing.__getitem__)]


def grouped_markers(markers: Iterable[Marker]) -> list[tuple[str, str]]:
    """(kind, text) lines for a day: holidays grouped by name, clock changes by instant,
    each listing its sites (one line per event however many sites share it)."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for marker in markers:
        if marker.kind == "dst" and marker.instant_utc is not None:
            key = ("dst", f"clocks change at {marker.instant_utc:%H:%M} UTC")
        else:
            key = (marker.kind, marker.text)
        groups[key].append(marker.site)
    return [(kind, f"{text}: {', '.join(sites)}") for (kind, text), sites in groups.items()]
