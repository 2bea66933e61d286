"""Gap explanations never contradict themselves: a stretch the roster could have
covered is explained by the speakers who could have worked it, one no roster
could cover by those who could not, and details count whole people."""

from __future__ import annotations

import re

import pytest

from scheduler.imports import load_scenario
from scheduler.pipeline import SolveOptions, solve_scenario

COULD = {
    "serving another language",
    "working another shift that day",
    "weekly hours used up",
    "weekly hours: no shift fits the hours left",
    "rest rule",
    "days off rule",
    "consecutive days or traded for other hours",
}


@pytest.fixture(scope="module")
def solved(request):
    from tests.conftest import FIXTURES

    scenario = load_scenario(FIXTURES / "spec_example" / "scenario")
    # any roster with gaps will do (the spec example always has some): a short solve
    return scenario, solve_scenario(scenario, SolveOptions(time_limit_seconds=1, seed=1, workers=1))


def test_reasons_match_the_kind_of_gap(solved):
    scenario, result = solved
    assert result.gaps
    for gap in result.gaps:
        if gap.kind == "traded":
            assert gap.reason in COULD, gap
        elif gap.kind == "unavoidable":
            assert gap.reason not in COULD, gap


def test_details_count_whole_speakers(solved):
    scenario, result = solved
    for gap in result.gaps:
        speakers = sum(gap.language in agent.languages for agent in scenario.agents)
        counts = re.findall(r": (\d+) of (\d+) speakers?", gap.details)
        assert counts, gap.details
        assert all(int(total) == speakers for _, total in counts)
        assert sum(int(n) for n, _ in counts) == speakers


def test_stretches_lie_inside_the_period(solved):
    scenario, result = solved
    horizon = scenario.horizon
    for gap in result.gaps:
        assert horizon.start_utc <= gap.start_utc < gap.end_utc <= horizon.end_utc
        assert gap.unavoidable_agent_intervals <= gap.missing_agent_intervals


def test_hours_no_shift_can_use_are_named(solved):
    """The spec example's 9 h shifts leave a 40 h agent 4 h no shift fits: a speaker on
    36 of his 40 h next to a gap is told apart from one whose hours are used up."""
    scenario, result = solved
    assert any("weekly hours: no shift fits the hours left" in gap.details for gap in result.gaps)
