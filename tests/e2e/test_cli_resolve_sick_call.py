"""A sick call after publishing: the re-solve keeps locked shifts, frees the
sick agent, and changes only a few other shifts of the published roster."""

from dataclasses import replace
from datetime import timedelta

import pytest

from scheduler.domain import TimeOff
from scheduler.imports import load_scenario
from scheduler.pipeline import LockedShiftUnavailable, SolveOptions, solve_scenario


@pytest.fixture(scope="module")
def published(spec_example_dir_module):
    scenario = load_scenario(spec_example_dir_module)
    return scenario, solve_scenario(scenario, SolveOptions(time_limit_seconds=6, seed=3)).roster


@pytest.fixture(scope="module")
def spec_example_dir_module():
    from tests.conftest import FIXTURES

    return FIXTURES / "spec_example" / "scenario"


def test_sick_call_changes_only_what_it_must(published):
    scenario, roster = published
    sick = roster.assignments[len(roster.assignments) // 2]
    other = next(a for a in roster.assignments if a.agent_id != sick.agent_id)
    sick_days = (sick.date, sick.date + timedelta(days=1))
    updated = replace(
        scenario,
        time_off=(*scenario.time_off, TimeOff(sick.agent_id, *sick_days, "sick")),
    )
    again = solve_scenario(
        updated,
        SolveOptions(time_limit_seconds=6, seed=3),
        locked=[other],
        previous=roster.assignments,
    )
    shifts = again.roster.assignments
    assert other in shifts
    assert not any(a.agent_id == sick.agent_id and a.date in sick_days for a in shifts)
    changes = again.roster.summary["changes"]
    assert changes["removed"] >= 1
    # a fresh solve of the same situation moves most of the roster; the re-solve
    # keeps it and only trades a shift where it covers many uncovered hours
    fresh = solve_scenario(updated, SolveOptions(time_limit_seconds=6, seed=4)).roster
    before = {(a.agent_id, a.date, a.shift_id) for a in roster.assignments}
    fresh_changes = len(before ^ {(a.agent_id, a.date, a.shift_id) for a in fresh.assignments})
    assert changes["removed"] + changes["added"] < fresh_changes / 3
    assert again.roster.summary["shortfall"] <= fresh.summary["shortfall"] * 1.1


def test_locked_shift_on_new_time_off_is_refused(published):
    scenario, roster = published
    shift = roster.assignments[0]
    updated = replace(
        scenario, time_off=(*scenario.time_off, TimeOff(shift.agent_id, shift.date, shift.date))
    )
    with pytest.raises(LockedShiftUnavailable, match=shift.agent_id):
        solve_scenario(updated, SolveOptions(time_limit_seconds=2), locked=[shift])
