"""web/ui/heatmap.py: cell levels, the overview and detail figures, and day markers,
on the demo scenario and its solved roster."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from tests.web.conftest import Demo
from web.ui import heatmap


def exact_level(required: int, staffed: int) -> str:
    if required <= 0:
        return "none"
    missing = Fraction(max(0, required - staffed), required)
    for bound, name in ((0, "ok"), (Fraction(1, 10), "s1"), (Fraction(1, 4), "s2")):
        if missing <= bound:
            return name
    return "s3" if missing <= Fraction(1, 2) else "s4"


@pytest.mark.parametrize(
    ("required", "staffed", "level"),
    [
        (0, 0, "none"),
        (0, 4, "none"),
        (10, 10, "ok"),
        (10, 14, "ok"),
        (10, 9, "s1"),  # 10 % missing
        (11, 10, "s1"),
        (9, 8, "s2"),  # 11 %
        (4, 3, "s2"),  # 25 %
        (3, 2, "s3"),  # 33 %
        (2, 1, "s3"),  # 50 %
        (5, 2, "s4"),  # 60 %
        (7, 0, "s4"),
    ],
)
def test_level_thresholds(required: int, staffed: int, level: str):
    assert heatmap.level(required, staffed) == level
    assert heatmap.Cell(required, staffed).level == level


@pytest.mark.parametrize(
    ("required", "staffed", "text"),
    [
        (0, 0, "no demand"),
        (0, 2, "no demand, 2 staffed"),
        (4, 4, "4 of 4 staffed, covered"),
        (4, 6, "6 of 4 staffed, covered"),
        (5, 2, "2 of 5 staffed, 3 short"),
    ],
)
def test_cell_in_words(required: int, staffed: int, text: str):
    assert heatmap.Cell(required, staffed).text == text


def test_level_agrees_with_exact_shares_at_every_boundary():
    wrong = [
        (required, staffed)
        for required in range(1, 121)
        for staffed in range(0, required + 2)
        if heatmap.level(required, staffed) != exact_level(required, staffed)
    ]
    assert not wrong


def coverage_by_language(demo: Demo) -> dict[str, list]:
    rows = defaultdict(list)
    for row in demo.published.coverage:
        rows[row.language].append(row)
    return rows


def test_overview_sums_equal_the_roster_coverage(demo: Demo):
    found = heatmap.overview(demo.scenario, demo.published)
    by_language = coverage_by_language(demo)
    assert found.days == tuple(demo.scenario.horizon.dates)
    assert found.languages == tuple(sorted(by_language))
    for language, cells in zip(found.languages, found.rows, strict=True):
        assert len(cells) == demo.scenario.horizon.days
        per_day_required = defaultdict(int)
        per_day_covered = defaultdict(int)
        for row in by_language[language]:
            day = row.interval_start_utc.astimezone(UTC).date()
            per_day_required[day] += row.required
            per_day_covered[day] += min(row.required, row.staffed)
        for day, cell in zip(found.days, cells, strict=True):
            assert (cell.required, cell.staffed) == (per_day_required[day], per_day_covered[day])
        assert sum(c.required for c in cells) == sum(r.required for r in by_language[language])


def test_detail_cells_are_the_roster_intervals(demo: Demo):
    found = heatmap.detail(demo.scenario, demo.published, "ja")
    assert len(found.column_labels) == 48
    assert found.column_labels[:3] == ("00:00", "00:30", "01:00")
    wanted = {row.interval_start_utc: row for row in coverage_by_language(demo)["ja"]}
    step = timedelta(minutes=30)
    for row in found.rows:
        start = datetime.combine(row.day, datetime.min.time(), tzinfo=UTC)
        for index, cell in enumerate(row.cells):
            stored = wanted.get(start + index * step)
            expected = (stored.required, stored.staffed) if stored else (0, 0)
            assert (cell.required, cell.staffed) == expected


def test_detail_marks_the_interval_in_which_clocks_change(demo: Demo):
    found = heatmap.detail(demo.scenario, demo.published, "en")
    columns = {row.day: row.dst_columns for row in found.rows if row.dst_columns}
    assert columns == {
        date(2027, 3, 28): frozenset({2}),  # EU: 01:00 UTC, the third 30-minute interval
        date(2027, 4, 3): frozenset({32}),  # Sydney: 16:00 UTC
    }


def test_markers_name_clock_changes_and_holidays(demo: Demo):
    markers = heatmap.day_markers(demo.scenario)
    dst = {(m.site, m.text, m.instant_utc) for m in markers[date(2027, 3, 28)] if m.kind == "dst"}
    eu_change = datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert dst == {
        ("Dublin", "clocks change +00:00 → +01:00 at 01:00 UTC", eu_change),
        ("Prague", "clocks change +01:00 → +02:00 at 01:00 UTC", eu_change),
        ("Helsinki", "clocks change +02:00 → +03:00 at 01:00 UTC", eu_change),
        ("Riga", "clocks change +02:00 → +03:00 at 01:00 UTC", eu_change),
    }
    holidays = {
        (day, marker.site, marker.text)
        for day, found in markers.items()
        for marker in found
        if marker.kind == "holiday"
    }
    assert (date(2027, 3, 29), "Dublin", "Easter Monday") in holidays
    assert (date(2027, 3, 26), "Toronto", "Good Friday") in holidays
    assert (date(2027, 3, 31), "Mexico City", "Company holiday") in holidays  # extra_holidays
    assert not [d for d, _, _ in holidays if d not in demo.scenario.horizon.dates]
    assert date(2027, 3, 23) not in markers


def test_worst_language_misses_the_most(demo: Demo):
    found = heatmap.overview(demo.scenario, demo.published)
    missing = {
        language: sum(cell.missing for cell in row)
        for language, row in zip(found.languages, found.rows, strict=True)
    }
    assert missing[heatmap.worst_language(found)] == max(missing.values())


def test_projected_service_levels_cover_each_forecast_channel(demo: Demo):
    levels = heatmap.projected_service_levels(demo.scenario, demo.published)
    channels = defaultdict(set)
    for row in demo.scenario.forecast:
        if row.volume > 0:
            channels[row.language].add(row.channel)
    assert {lang: {sl.channel for sl in found} for lang, found in levels.items()} == dict(channels)
    for found in levels.values():
        for sl in found:
            assert 0 <= sl.achieved <= 1
            assert sl.volume > 0
