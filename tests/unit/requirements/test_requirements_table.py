"""The requirement table: the spec example's oracle, email spreading, shrinkage, floors."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from requirement_scenarios import START, make_scenario, utc

from scheduler.domain import ForecastRow, QueueService, RequiredRow
from scheduler.requirements import compute_requirements
from scheduler.requirements.email import spread_email_load, spread_weights

T0 = utc(2027, 3, 8, 0)


def at(hour: int, minutes: int = 0):
    return T0 + timedelta(hours=hour, minutes=minutes)


def test_spec_example_required_column_matches_exactly(spec_example, spec_example_roster_dir):
    with (Path(spec_example_roster_dir) / "coverage.csv").open(encoding="utf-8") as handle:
        expected = [
            (row["interval_start"], row["language"], int(row["required"]))
            for row in csv.DictReader(handle)
        ]
    table = compute_requirements(spec_example)
    found = [
        (start.strftime("%Y-%m-%dT%H:%M:%SZ"), language, required)
        for start, language, required in table.rows()
    ]
    assert found == expected


def test_table_shape_and_lookup(spec_example):
    table = compute_requirements(spec_example)
    assert table.interval_starts_utc == tuple(spec_example.horizon.interval_starts())
    assert table.languages == spec_example.languages
    first = next(table.rows())
    assert table.at(first[1], 0) == first[2]


def test_call_centre_helper_example_with_shrinkage_needs_20_not_21():
    # 14 agents / (1 - 0.3) is 20.000000000000004 in floats; the spec means 20.
    forecast = (ForecastRow(T0, "en", "phone", 100, 180),)
    scenario = make_scenario(forecast, interval_minutes=30, shrinkage=0.3, max_occupancy=0.85)
    assert compute_requirements(scenario).at("en", 0) == 20


def test_chat_concurrency_halves_handling_time():
    chat = (ForecastRow(T0, "en", "chat", 100, 360),)
    phone = (ForecastRow(T0, "en", "phone", 100, 180),)
    same_target = QueueService(service_level=0.8, answer_seconds=20, concurrency=2)
    chat_table = compute_requirements(make_scenario(chat, interval_minutes=30, chat=same_target))
    phone_table = compute_requirements(make_scenario(phone, interval_minutes=30))
    assert chat_table.at("en", 0) == phone_table.at("en", 0) == 14


def test_zero_volume_needs_zero_agents():
    forecast = (
        ForecastRow(T0, "en", "phone", 0, 300),
        ForecastRow(T0, "en", "chat", 0, 300),
        ForecastRow(T0, "en", "email", 0, 300),
    )
    table = compute_requirements(make_scenario(forecast, shrinkage=0.3))
    assert set(table.required["en"]) == {0}


def test_always_on_language_gets_its_floor_even_without_forecast():
    forecast = (ForecastRow(at(5), "en", "phone", 30, 300),)
    table = compute_requirements(make_scenario(forecast, always_on=("ja",), min_agents=2))
    assert table.languages == ("en", "ja")
    assert set(table.required["ja"]) == {2}
    assert table.at("en", 4) == 0


def test_email_is_spread_evenly_over_its_window():
    # 24 emails x 600 s in one hour is 4 agent-hours, worked over 4 hours: 1 agent each.
    forecast = (ForecastRow(at(2), "en", "email", 24, 600),)
    table = compute_requirements(make_scenario(forecast, response_hours=4))
    assert table.required["en"][:8] == (0, 0, 1, 1, 1, 1, 0, 0)


def test_email_past_the_horizon_end_is_dropped():
    forecast = (ForecastRow(at(22), "en", "email", 24, 600),)
    table = compute_requirements(make_scenario(forecast, response_hours=4))
    assert table.required["en"][-3:] == (0, 1, 1)
    assert sum(table.required["en"]) == 2


def test_email_window_of_part_intervals_puts_the_remainder_last():
    assert spread_weights(1.5, 60).tolist() == pytest.approx([2 / 3, 1 / 3])
    assert spread_weights(0.25, 60).tolist() == [1.0]
    assert spread_email_load([3.0, 0, 0], 1.5, 60).tolist() == pytest.approx([2, 1, 0])


def test_email_combines_with_queues_before_shrinkage():
    # phone 14 (the Call Centre Helper example); email 6 x 300 s / 1800 s = 1 agent of
    # work, over a 1-hour window: 0.5 in each of 2 intervals. (14 + 0.5) / (1 - 0.5) = 29.
    forecast = (
        ForecastRow(T0, "en", "phone", 100, 180),
        ForecastRow(T0, "en", "email", 6, 300),
    )
    scenario = make_scenario(
        forecast, interval_minutes=30, response_hours=1, shrinkage=0.5, max_occupancy=0.85
    )
    assert compute_requirements(scenario).at("en", 0) == 29


def test_required_rows_are_used_as_given_and_raised_to_the_floor():
    required = (RequiredRow(at(1), "de", 7), RequiredRow(at(2), "fr", 3))
    table = compute_requirements(make_scenario(required=required, always_on=("de",), min_agents=1))
    assert table.required["de"][:3] == (1, 7, 1)
    assert table.required["fr"][:3] == (0, 0, 3)


def test_off_grid_forecast_is_rejected():
    forecast = (ForecastRow(at(1, 15), "en", "phone", 3, 300),)
    with pytest.raises(ValueError, match="not on the 60-minute grid"):
        compute_requirements(make_scenario(forecast))


def test_erlang_a_option_needs_no_more_than_erlang_c():
    forecast = (ForecastRow(T0, "en", "phone", 100, 180),)
    patient = QueueService(0.8, 20, model="erlang_a", patience_seconds=300)
    erlang_a_table = compute_requirements(
        make_scenario(forecast, interval_minutes=30, phone=patient)
    )
    assert 0 < erlang_a_table.at("en", 0) <= 14


volumes = st.floats(min_value=0, max_value=300)


@settings(max_examples=60, deadline=None)
@given(volumes, volumes, volumes, st.floats(min_value=0, max_value=50))
def test_more_volume_never_needs_fewer_agents(phone, chat, email, extra):
    def table(extra_phone: float, extra_email: float):
        forecast = (
            ForecastRow(T0, "en", "phone", phone + extra_phone, 300),
            ForecastRow(T0, "en", "chat", chat, 480),
            ForecastRow(T0, "en", "email", email + extra_email, 400),
        )
        scenario = make_scenario(
            forecast, interval_minutes=15, response_hours=2, shrinkage=0.35, max_occupancy=0.85
        )
        return compute_requirements(scenario).required["en"]

    base = table(0, 0)
    for more in (table(extra, 0), table(0, extra)):
        assert all(m >= b for m, b in zip(more, base, strict=True))


def test_horizon_start_is_the_first_interval():
    assert make_scenario().horizon.start == START
