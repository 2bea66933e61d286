"""The synthetic generator: valid folders, same files for a seed, calibrated load, scarcity."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler.imports import load_scenario
from scheduler.requirements import compute_requirements
from scheduler.synthetic import SIZES, generate_scenario, write_scenario

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict:
    """S and M written once per module (M takes a couple of seconds)."""
    folders = {}
    for size in ("S", "M"):
        folder = tmp_path_factory.mktemp(f"synthetic-{size}")
        write_scenario(folder, SIZES[size], seed=7)
        folders[size] = folder
    return folders


def contract_hours(scenario) -> float:
    return sum(a.hours_per_week for a in scenario.agents) * scenario.horizon.days / 7


def required_hours(scenario, languages=None) -> float:
    table = compute_requirements(scenario)
    per_interval = scenario.horizon.interval_minutes / 60
    return per_interval * sum(
        sum(values)
        for language, values in table.required.items()
        if languages is None or language in languages
    )


@pytest.mark.parametrize("size", ["S", "M"])
def test_preset_loads_without_errors_and_matches_its_size(generated, size):
    spec = SIZES[size]
    scenario = load_scenario(generated[size])
    assert len(scenario.agents) == spec.agents
    assert {site.id for site in scenario.sites} == set(spec.sites)
    assert set(scenario.languages) == set(spec.languages)
    assert scenario.horizon.days == spec.days
    assert scenario.horizon.interval_minutes == spec.interval_minutes
    assert scenario.time_off, "some agents have approved absences"


def test_same_seed_gives_identical_files_and_another_seed_differs():
    first = generate_scenario(SIZES["S"], seed=11)
    assert generate_scenario(SIZES["S"], seed=11) == first
    assert generate_scenario(SIZES["S"], seed=12) != first


def test_m_load_is_calibrated_to_the_share_of_contract_hours(generated):
    """Non-scarce languages carry the spec's load; scarce ones only add their floor."""
    spec = SIZES["M"]
    scenario = load_scenario(generated["M"])
    plentiful = set(spec.languages) - set(spec.scarce)
    first_language_hours = sum(
        a.hours_per_week * spec.days / 7 for a in scenario.agents if a.languages[0] in plentiful
    )
    load = required_hours(scenario, plentiful) / first_language_hours
    assert load == pytest.approx(spec.load, abs=0.03)
    total = required_hours(scenario) / contract_hours(scenario)
    assert spec.load - 0.03 <= total <= spec.load + 0.10


def test_s_has_a_scarce_language_spoken_at_one_site_only(generated):
    scenario = load_scenario(generated["S"])
    (scarce,) = SIZES["S"].scarce
    speakers = [a for a in scenario.agents if scarce in a.languages]
    assert 0 < len(speakers) <= 5
    assert len({a.site_id for a in speakers}) == 1
    assert scarce in scenario.languages


def test_agents_look_like_a_real_multilingual_workforce(generated):
    scenario = load_scenario(generated["M"])
    agents = scenario.agents
    sizes = Counter(len(a.languages) for a in agents)
    assert sizes[1] > len(agents) / 2, "mostly monolingual"
    assert sizes[2] + sizes[3] > 0
    second = Counter(a.languages[1] for a in agents if len(a.languages) > 1)
    assert second.most_common(1)[0][0] == "en"
    assert set(a.hours_per_week for a in agents) <= {40, 32, 24, 20}
    assert any(len(a.shift_ids) < len(scenario.site_of(a).shifts) for a in agents)
    assert {site.region for site in scenario.sites} == {"NA", "EU", "APAC"}


def test_german_demand_peaks_in_berlin_business_hours_and_dips_at_weekends(generated):
    scenario = load_scenario(generated["M"])
    by_hour: Counter[int] = Counter()
    weekday_total = weekend_total = 0.0
    for row in scenario.forecast:
        if row.language != "de" or row.channel != "phone":
            continue
        local = row.interval_start_utc.astimezone(BERLIN)
        by_hour[local.hour] += row.volume
        if local.weekday() < 5:
            weekday_total += row.volume / 5
        else:
            weekend_total += row.volume / 2
    assert 9 <= by_hour.most_common(1)[0][0] <= 16
    assert weekend_total < 0.6 * weekday_total


def test_handling_times_are_realistic(generated):
    scenario = load_scenario(generated["M"])
    assert all(300 <= row.aht_seconds <= 700 for row in scenario.forecast)
    assert {row.channel for row in scenario.forecast} == {"phone", "chat", "email"}


def test_bad_spec_names_every_problem():
    from dataclasses import replace

    spec = replace(
        SIZES["S"],
        sites=("yyz", "atlantis"),
        interval_minutes=20,
        shift_hours=(("brunch", 8.0), ("night", 30.0)),
    )
    with pytest.raises(ValueError) as raised:
        generate_scenario(spec, seed=1)
    message = str(raised.value)
    assert "atlantis" in message and "interval_minutes 20" in message
    assert "unknown shift 'brunch'" in message and "night lasts 30.0 h" in message


def test_shift_hours_override_the_catalogs_lengths(tmp_path: Path):
    """The bench's DST89 case: the DST month with the scenario format example's 9 h
    early and evening shifts and 8 h day and late shifts (the catalog's are 8.5 h)."""
    from scheduler.synthetic import BENCH_CASES

    write_scenario(tmp_path, BENCH_CASES["DST89"], seed=1)
    lengths = {
        (shift.id, shift.hours) for site in load_scenario(tmp_path).sites for shift in site.shifts
    }
    assert {hours for _, hours in lengths} == {8.0, 9.0}
    assert ("early", 9.0) in lengths and ("late", 8.0) in lengths and ("night", 8.0) in lengths


def test_write_scenario_creates_the_folder(tmp_path: Path):
    written = write_scenario(tmp_path / "new", SIZES["S"], seed=3)
    assert sorted(p.name for p in written) == [
        "agents.csv", "forecast.csv", "scenario.toml", "time_off.csv"
    ]  # fmt: skip
