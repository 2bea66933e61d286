"""A teach candidate's capacity (the most a speaker more could cover, proved) counts the
hours his shifts reach, not his contract's: four 8.5 h shifts reach 34 of 40 h."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from scheduler.candidates import candidates
from scheduler.domain import Agent, RequiredRow, Rules, ShiftTemplate, Site
from scheduler.requirements import compute_requirements
from tests.unit.insight.insight_builders import march_2026

DUBLIN = Site(
    "dub", "Dublin", "EU", "IE", "", "Europe/Dublin", (ShiftTemplate("day", time(9), 8.5),), Rules()
)


def test_a_teach_candidate_is_credited_the_hours_his_shifts_reach():
    week = march_2026(date(2026, 1, 12), 7)  # no Irish holiday, no clock change
    scenario = replace(
        week,
        sites=(DUBLIN,),
        agents=(
            Agent("D1", "Dara", "dub", ("en",), 40, ("day",)),
            Agent("D2", "Aoife", "dub", ("ja",), 40, ("day",)),
        ),
        # Japanese all day every day: far more than one more speaker could cover
        required=tuple(
            RequiredRow(instant, language, 1)
            for instant in week.horizon.interval_starts()
            for language in ("en", "ja")
        ),
    )
    found = dict(
        (candidate.label, capacity)
        for candidate, capacity in candidates(scenario, compute_requirements(scenario), ())
    )
    teach = [label for label in found if label.startswith("Dara") and label.endswith("learns ja")]
    assert teach, found
    # 60-minute intervals: 34 reachable hours (40 by contract) over one week
    assert found[teach[0]] == 34
