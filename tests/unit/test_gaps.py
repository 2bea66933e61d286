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
