"""What moves in UTC when the US, Europe and Australia change clocks on different
dates, checked on the March 2026 weeks against UTC hours worked out by hand:

- New York, 09:00 local for 8 h: EST (UTC-5) 14:00-22:00 UTC; from Sunday 8 March
  (07:00 UTC) EDT (UTC-4) 13:00-21:00 UTC.
- Dublin, 09:00 for 8 h: GMT 09:00-17:00 UTC; from Sunday 29 March (01:00 UTC) IST
  08:00-16:00 UTC. Its 22:00 night: 22:00-06:00 UTC, then 21:00-05:00 UTC.
- Sydney, 09:00 for 8 h: AEDT (UTC+11) 22:00-06:00 UTC; from Sunday 5 April local
  (16:00 UTC on the 4th) AEST (UTC+10) 23:00-07:00 UTC.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from insight_builders import AGENTS, DAY, SITES, march_2026

from scheduler.domain import Agent, ShiftTemplate, Site
from scheduler.handoffs import Span, clock_changes, format_range, transitions

H = 60  # minutes in an hour: UTC times of day below are written as hours * H


def test_three_regions_change_in_three_different_weeks():
    changes = clock_changes(march_2026())

    assert [(c.site_id, c.at_utc, c.local_date) for c in changes] == [
        ("nyc", datetime(2026, 3, 8, 7, 0, tzinfo=UTC), date(2026, 3, 8)),
        ("dub", datetime(2026, 3, 29, 1, 0, tzinfo=UTC), date(2026, 3, 29)),
        ("syd", datetime(2026, 4, 4, 16, 0, tzinfo=UTC), date(2026, 4, 5)),
    ]
    assert [(c.offset_before, c.offset_after) for c in changes] == [
        (timedelta(hours=-5), timedelta(hours=-4)),
        (timedelta(0), timedelta(hours=1)),
        (timedelta(hours=11), timedelta(hours=10)),
    ]


def test_new_york_moves_its_hand_off_an_hour_earlier_for_english_only():
    first = transitions(march_2026())[0]

    assert first.site_ids == ("nyc",)
    assert first.regime_before == (
        datetime(2026, 3, 2, tzinfo=UTC),
        datetime(2026, 3, 8, 7, tzinfo=UTC),
    )
    assert first.regime_after[1] == datetime(2026, 3, 29, 1, tzinfo=UTC)
    moves = [(m.site_id, m.shift_id, m.utc_start_before, m.utc_start_after) for m in first.moves]
    assert moves == [("nyc", "day", 14 * H, 13 * H)]
    (english,) = first.languages  # nobody in New York speaks Japanese
    assert english.language == "en"
    assert english.gained == (Span(13 * H, 14 * H, "nyc", "day", 2),)
    assert english.lost == (Span(21 * H, 22 * H, "nyc", "day", 2),)
    assert [format_range(*r) for r in english.ranges] == ["13:00–14:00", "21:00–22:00"]


def test_dublin_moves_both_its_shifts_and_both_its_languages():
    second = transitions(march_2026())[1]

    assert second.site_ids == ("dub",)
    assert {(m.shift_id, m.utc_start_before, m.utc_start_after) for m in second.moves} == {
        ("day", 9 * H, 8 * H),
        ("night", 22 * H, 21 * H),
    }
    english, japanese = second.languages
    assert english.gained == (
        Span(8 * H, 9 * H, "dub", "day", 2),
        Span(21 * H, 22 * H, "dub", "night", 1),
    )
    assert english.lost == (
        Span(5 * H, 6 * H, "dub", "night", 1),
        Span(16 * H, 17 * H, "dub", "day", 2),
    )
    assert japanese.gained == (
        Span(8 * H, 9 * H, "dub", "day", 1),
        Span(21 * H, 22 * H, "dub", "night", 1),
    )
    assert [format_range(*r) for r in japanese.ranges] == [
        "05:00–06:00",
        "08:00–09:00",
        "16:00–17:00",
        "21:00–22:00",
    ]


def test_sydney_ends_daylight_time_and_its_shifts_start_an_hour_later_in_utc():
    third = transitions(march_2026())[2]

    assert third.site_ids == ("syd",)
    assert [(m.utc_start_before, m.utc_start_after) for m in third.moves] == [(22 * H, 23 * H)]
    assert third.regime_after == (
        datetime(2026, 4, 4, 16, tzinfo=UTC),
        datetime(2026, 4, 13, tzinfo=UTC),
    )
    for language in third.languages:
        assert language.gained == (Span(6 * H, 7 * H, "syd", "day", 1),)
        assert language.lost == (Span(22 * H, 23 * H, "syd", "day", 1),)
    assert [lang.language for lang in third.languages] == ["en", "ja"]


def test_zones_of_one_region_changing_hours_apart_are_one_transition():
    """New York (07:00 UTC) and Los Angeles (10:00 UTC) both change on 8 March."""
    la = Site("lax", "Los Angeles", "NA", "US", "CA", "America/Los_Angeles", DAY, SITES[0].rules)
    scenario = replace(
        march_2026(),
        sites=(*SITES, la),
        agents=(*AGENTS, Agent("L1", "Lou", "lax", ("en",), 40, ("day",))),
    )

    first = transitions(scenario)[0]

    assert first.site_ids == ("nyc", "lax")
    (english,) = first.languages
    # Los Angeles 09:00 PST is 17:00 UTC, PDT 16:00 UTC
    assert english.gained == (
        Span(13 * H, 14 * H, "nyc", "day", 2),
        Span(16 * H, 17 * H, "lax", "day", 1),
    )
    assert english.lost == (
        Span(0, 1 * H, "lax", "day", 1),
        Span(21 * H, 22 * H, "nyc", "day", 2),
    )
    assert len(transitions(scenario)) == 3


def test_a_period_without_clock_changes_has_nothing_that_moves():
    assert transitions(march_2026(date(2026, 6, 1), 14)) == []


def test_a_change_over_utc_midnight_is_one_range():
    """Sydney 10:30 for 8 h: AEDT 23:30-07:30 UTC, AEST 00:30-08:30 UTC, so the hour
    lost runs over UTC midnight: 23:30-00:30, one range, not two."""
    later = replace(SITES[2], shifts=(ShiftTemplate("day", time(10, 30), 8),))
    scenario = replace(march_2026(), sites=(SITES[0], SITES[1], later))

    third = transitions(scenario)[2]

    english = third.languages[0]
    assert english.gained == (Span(7 * H + 30, 8 * H + 30, "syd", "day", 1),)
    assert english.lost == (Span(23 * H + 30, 30, "syd", "day", 1),)
    assert [format_range(*r) for r in english.ranges] == ["07:30–08:30", "23:30–00:30"]
