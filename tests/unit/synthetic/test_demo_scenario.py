"""The bundled demo scenario (config/demo) loads cleanly and shows what a demo must."""

from __future__ import annotations

from datetime import date

import pendulum
import pytest

from calendars.zones import utc_offset_changes
from config.settings import DEMO_SCENARIO_DIR
from scheduler.imports import load_scenario
from scheduler.synthetic import DEMO_SEED, DEMO_SPEC, generate_scenario


@pytest.fixture(scope="module")
def demo():
    return load_scenario(DEMO_SCENARIO_DIR)


def test_demo_is_the_generator_output_for_its_seed():
    """Regenerating with the documented seed gives the committed files."""
    for name, text in generate_scenario(DEMO_SPEC, DEMO_SEED).items():
        assert (DEMO_SCENARIO_DIR / name).read_text(encoding="utf-8") == text, name


def test_demo_sites_span_regions_hemispheres_and_a_half_hour_zone(demo):
    assert len(demo.sites) >= 6
    assert {site.region for site in demo.sites} == {"NA", "EU", "APAC"}
    march = pendulum.datetime(2027, 3, 22, 12)
    offsets = {site.id: march.in_timezone(site.timezone).utcoffset() for site in demo.sites}
    assert any(offset.total_seconds() == 5.5 * 3600 for offset in offsets.values())
    assert any(site.timezone.startswith("Australia/") for site in demo.sites)


def test_demo_size_languages_and_horizon(demo):
    assert 70 <= len(demo.agents) <= 110
    assert len(demo.languages) >= 10
    assert {"en", "de", "fr", "es", "ja", "cs", "fi", "lv", "uz"} <= set(demo.languages)
    assert demo.horizon.start == date(2027, 3, 22)
    assert demo.horizon.days == 14
    assert demo.horizon.interval_minutes == 30
    assert demo.time_off


def test_demo_horizon_crosses_eu_and_sydney_dst_changes(demo):
    last = demo.horizon.dates[-1]
    assert date(2027, 3, 28) in utc_offset_changes("Europe/Dublin", demo.horizon.start, last)
    assert date(2027, 4, 4) in utc_offset_changes("Australia/Sydney", demo.horizon.start, last)
