"""Availability rules are enforced by construction: an agent only gets solver
options he may work. Each case has demand on the forbidden shift, so a model
that offered it would take it."""

from dataclasses import replace
from datetime import date, time

import pytest

from scheduler.domain import Horizon, ShiftTemplate
from scheduler.imports import load_scenario
from scheduler.requirements import compute_requirements
from scheduler.solver_input import build_problem


@pytest.fixture
def example(spec_example_dir):
    return load_scenario(spec_example_dir)


def offered(scenario, agent_id):
    translated = build_problem(scenario, compute_requirements(scenario))
    a = translated.agent_ids.index(agent_id)
    return [translated.sources[o] for o in translated.problem.agents[a].options]


def test_site_extra_holiday_is_never_offered(example):
    dublin = [a.id for a in example.agents if a.site_id == "dub"]
    for agent_id in dublin:
        assert date(2027, 6, 9) not in {s.date for s in offered(example, agent_id)}


def test_site_that_works_holidays_is_offered_them(example):
    dub = example.site("dub")
    working = replace(dub, rules=replace(dub.rules, work_on_public_holidays=True))
    scenario = replace(example, sites=tuple(working if s.id == "dub" else s for s in example.sites))
    agent_id = next(a.id for a in example.agents if a.site_id == "dub")
    assert date(2027, 6, 9) in {s.date for s in offered(scenario, agent_id)}


def test_time_off_dates_are_never_offered(example):
    absence = example.time_off_of("A0006")[0]
    days = {s.date for s in offered(example, "A0006")}
    assert not any(absence.covers(d) for d in days)
    assert days  # but the other dates are


def test_only_allowed_shifts_are_offered(example):
    agent = example.agent("A0000")
    assert {s.shift_id for s in offered(example, "A0000")} <= set(agent.shift_ids)
    assert "s5" not in agent.shift_ids


def test_dst_gap_start_is_unavailable_that_day(example):
    dub = example.site("dub")
    gap_shift = ShiftTemplate("gap", time(1, 30), 8)
    dublin = replace(dub, shifts=(*dub.shifts, gap_shift), extra_holidays=())
    scenario = replace(
        example,
        horizon=Horizon(date(2027, 3, 25), 7, 60),
        sites=tuple(dublin if s.id == "dub" else s for s in example.sites),
        agents=tuple(
            replace(a, shift_ids=(*a.shift_ids, "gap")) if a.site_id == "dub" else a
            for a in example.agents
        ),
        forecast=None,
        required=(),
        time_off=(),
    )
    agent_id = next(a.id for a in scenario.agents if a.site_id == "dub")
    gap_dates = {s.date for s in offered(scenario, agent_id) if s.shift_id == "gap"}
    assert date(2027, 3, 28) not in gap_dates
    # the day before works; the 29th is Easter Monday, a public holiday in Ireland
    assert {date(2027, 3, 27), date(2027, 3, 30)} <= gap_dates
    assert date(2027, 3, 29) not in gap_dates
