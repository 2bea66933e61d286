"""Projecting a staffing back into service levels, and the planner phrases for misses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from requirement_scenarios import make_scenario, utc

from scheduler.domain import ForecastRow, QueueService
from scheduler.requirements import compute_requirements, describe_shortfalls, project

T0 = utc(2027, 3, 9, 0)  # a Tuesday, the second day of the horizon


def day_two(hour: int):
    return T0 + timedelta(hours=hour)


def test_staffing_the_requirement_meets_every_target(spec_example):
    table = compute_requirements(spec_example)
    projections = project(spec_example, table.required)
    queued = [p for p in projections if p.channel != "email" and p.volume > 0]
    assert queued
    for item in queued:
        service = spec_example.phone if item.channel == "phone" else spec_example.chat
        assert item.service_level >= service.service_level
        assert item.occupancy <= spec_example.staffing.max_occupancy + 1e-9
    emails = [p for p in projections if p.channel == "email"]
    assert all(p.service_level == 1.0 for p in emails)
    assert describe_shortfalls(spec_example, projections) == []


def test_one_agent_short_shows_below_target():
    forecast = (ForecastRow(day_two(9), "de", "phone", 100, 180),)
    scenario = make_scenario(forecast, days=2, interval_minutes=30, max_occupancy=0.85)
    staffed = list(compute_requirements(scenario).required["de"])
    nine = scenario.horizon.interval_index(day_two(9))
    assert staffed[nine] == 14
    staffed[nine] = 13
    (item,) = [p for p in project(scenario, {"de": staffed}) if p.volume > 0]
    assert item.service_level == pytest.approx(0.7956, abs=1e-4)  # Erlang C at 13 agents
    assert item.asa_seconds == pytest.approx(17.116, abs=1e-3)
    assert item.agents == 13


def test_agents_are_split_by_need_after_email_and_shrinkage():
    forecast = (
        ForecastRow(T0, "en", "phone", 100, 180),  # needs 14 (80/20, 85%)
        ForecastRow(T0, "en", "chat", 200, 180),  # 10 Erlangs too, 60 s target: needs 12
        ForecastRow(T0, "en", "email", 12, 300),  # 1 agent in each of 2 intervals
    )
    scenario = make_scenario(
        forecast,
        days=2,
        interval_minutes=30,
        response_hours=1,
        shrinkage=0.5,
        max_occupancy=0.85,
    )
    staffed = [0] * 96
    # 40 staffed, 20 productive: 1 on email, 19 shared between phone and chat.
    staffed[scenario.horizon.interval_index(T0)] = 40
    items = {p.channel: p for p in project(scenario, {"en": staffed}) if p.interval_start_utc == T0}
    assert items["email"].agents == 1
    assert items["phone"].agents + items["chat"].agents == pytest.approx(19)
    assert items["phone"].agents / items["chat"].agents == pytest.approx(14 / 12)


def test_shortfall_phrase_names_language_channel_level_and_period():
    forecast = tuple(ForecastRow(day_two(h), "de", "phone", 100, 180) for h in (9, 10))
    scenario = make_scenario(forecast, days=2, interval_minutes=60)
    staffed = [0] * 48
    staffed[33] = staffed[34] = 6  # traffic 5 Erlangs: well under 80% in 20 s
    phrases = describe_shortfalls(scenario, project(scenario, {"de": staffed}))
    assert len(phrases) == 1
    assert phrases[0].startswith("German phone ")
    assert phrases[0].endswith("% within 20 s on Tue 2027-03-09 09:00-11:00 UTC")


def test_erlang_a_projection_reports_abandonment():
    patient = QueueService(0.8, 20, model="erlang_a", patience_seconds=300)
    forecast = (ForecastRow(T0, "en", "phone", 100, 180),)
    scenario = make_scenario(forecast, days=2, interval_minutes=30, phone=patient)
    staffed = [0] * 96
    staffed[scenario.horizon.interval_index(T0)] = 14
    (item,) = [p for p in project(scenario, {"en": staffed}) if p.volume > 0]
    assert item.abandonment == pytest.approx(0.013984, abs=1e-6)
    assert item.service_level == pytest.approx(0.916792, abs=1e-6)


def test_wrong_length_staffing_is_rejected(spec_example):
    with pytest.raises(ValueError, match="intervals"):
        project(spec_example, {"en": [1, 2, 3]})
