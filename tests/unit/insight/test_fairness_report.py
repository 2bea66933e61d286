"""The fairness report against figures worked out by hand on a small roster.

Horizon Monday 9 March 2026, 14 days; Dublin's public holiday is St Patrick's Day,
Tuesday 17 March (Dublin is on GMT until 29 March, so local = UTC there):

- D1 (Dublin, en ja): night Fri 13 Mar 22:00-06:00 (8 night h, Saturday 00-06 is 6
  weekend h); night Mon 16 Mar 22:00-06:00 (8 night h, 17 Mar 00-06 is 6 holiday h).
- D2 (Dublin, en): day Sat 14 Mar 09-17 (8 weekend h); day Tue 17 Mar (8 holiday h).
- S1 (Sydney, en ja): day Sat 14 Mar 09:00 local (8 weekend h, by Sydney's clock).
- N1 (New York, en): day Mon 9 Mar (nothing unsocial); N2 (New York, en): no shift.
"""

from __future__ import annotations

import math
from datetime import date

import pytest
from insight_builders import march_2026

from scheduler.domain import Roster
from scheduler.fairness import LANGUAGE, SITE, fairness_report, spread
from tests.unit.checker.checker_builders import shift

NIGHT, WEEKEND, HOLIDAY = "night_hours", "weekend_hours", "holiday_hours"


@pytest.fixture
def report():
    sc = march_2026(date(2026, 3, 9), 14)
    roster = Roster(
        (
            shift(sc, "D1", date(2026, 3, 13), "night"),
            shift(sc, "D1", date(2026, 3, 16), "night"),
            shift(sc, "D2", date(2026, 3, 14), "day"),
            shift(sc, "D2", date(2026, 3, 17), "day"),
            shift(sc, "S1", date(2026, 3, 14), "day"),
            shift(sc, "N1", date(2026, 3, 9), "day"),
        ),
        (),
    )
    return fairness_report(sc, roster)


def test_each_agent_has_his_hours_by_his_local_clock(report):
    found = {
        a.agent_id: (a.shifts, a.worked_hours, a.night_hours, a.weekend_hours, a.holiday_hours)
        for a in report.agents
    }
    assert found == {
        "N1": (1, 8, 0, 0, 0),
        "N2": (0, 0, 0, 0, 0),
        "D1": (2, 16, 16, 6, 6),
        "D2": (2, 16, 0, 8, 8),
        "S1": (1, 8, 0, 8, 0),
    }


def test_by_site_total_range_and_coefficient_of_variation(report):
    sites = {g.key: g for g in report.by_site}
    assert [g.key for g in report.by_site] == ["nyc", "dub", "syd"]
    assert all(g.kind == SITE for g in report.by_site)
    dublin = sites["dub"]
    assert dublin.agent_ids == ("D1", "D2")
    night = dublin.spread(NIGHT)  # 16 and 0: mean 8, standard deviation 8
    assert (night.total, night.mean, night.minimum, night.maximum, night.range) == (
        16,
        8,
        0,
        16,
        16,
    )
    assert night.cv == 1.0
    weekend = dublin.spread(WEEKEND)  # 6 and 8: mean 7, standard deviation 1
    assert (weekend.total, weekend.range) == (14, 2)
    assert weekend.cv == pytest.approx(1 / 7, abs=1e-6)
    assert dublin.spread(HOLIDAY).cv == pytest.approx(1 / 7, abs=1e-6)
    assert sites["nyc"].spread(NIGHT).cv is None  # nobody works a night: no spread to tell
    assert sites["syd"].spread(WEEKEND).cv == 0.0  # one agent: all carry the same


def test_by_language_compares_speakers_across_sites(report):
    languages = {g.key: g for g in report.by_language}
    assert all(g.kind == LANGUAGE for g in report.by_language)
    assert languages["ja"].agent_ids == ("D1", "S1")
    assert languages["en"].agent_ids == ("N1", "N2", "D1", "D2", "S1")
    english_nights = languages["en"].spread(NIGHT)  # 0, 0, 16, 0, 0: mean 3.2, sd 6.4
    assert (english_nights.total, english_nights.mean, english_nights.cv) == (16, 3.2, 2.0)
    english_weekends = languages["en"].spread(WEEKEND)  # 0, 0, 6, 8, 8: mean 4.4
    assert english_weekends.total == 22
    assert english_weekends.cv == pytest.approx(math.sqrt(13.44) / 4.4, abs=1e-6)
    japanese_holidays = languages["ja"].spread(HOLIDAY)  # 6 and 0: mean 3, sd 3
    assert (japanese_holidays.total, japanese_holidays.cv) == (6, 1.0)


def test_a_site_carrying_all_nights_of_a_language_shows_it(report):
    """Dublin has half the Japanese speakers and works all their nights."""
    shares = {(s.language, s.site_id): s for s in report.language_sites}
    dublin_ja = shares[("ja", "dub")]
    assert (dublin_ja.speakers, dublin_ja.speaker_share) == (1, 0.5)
    assert dublin_ja.hours == (16, 6, 6)
    assert dublin_ja.shares == pytest.approx((1.0, 6 / 14, 1.0))
    sydney_ja = shares[("ja", "syd")]
    assert sydney_ja.hours == (0, 8, 0)
    assert sydney_ja.shares == pytest.approx((0.0, 8 / 14, 0.0))
    assert shares[("en", "nyc")].speaker_share == 0.4
    assert shares[("en", "nyc")].shares == (0.0, 0.0, 0.0)
    assert ("ja", "nyc") not in shares  # no Japanese speaker in New York


def test_spread_of_equal_values_is_zero_and_of_zeros_is_undefined():
    assert spread(NIGHT, [4.0, 4.0, 4.0]).cv == 0.0
    assert spread(NIGHT, [4.0, 4.0, 4.0]).range == 0.0
    assert spread(NIGHT, [0.0, 0.0]).cv is None
