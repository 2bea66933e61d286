"""Periods that chain, in the services: the second week's scenario carries the first
week's published last days as history, edits and publishing keep the seam."""

from __future__ import annotations

from datetime import date

import pytest

from scheduler.domain import Roster
from scheduler.services import InvalidInput, add_assignment, import_folder, publish
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import load_period_scenario, save_roster
from tests.chained import next_period_folder
from tests.services.helpers import version_counter

NIGHT_WORKER = "A0029"
"""Works s5 (23:00 Dublin) on 2027-06-13 in the contract's roster: off at 06:00Z on the 14th."""
SEAM = date(2027, 6, 14)


@pytest.fixture
def second_week(sessions, spec_example_dir, tmp_path, planner_id) -> int:
    folder = next_period_folder(spec_example_dir, tmp_path / "week-2")
    return import_folder(sessions, folder, planner_id, period_name="June, week 2")


def _empty_draft(sessions, period_id: int) -> int:
    with unit_of_work(sessions) as session:
        return save_roster(
            session, period_id, Roster((), (), {"status": "feasible", "solve_seconds": 0})
        ).id


def test_the_second_week_takes_the_first_weeks_published_days_as_history(
    sessions, period_id, baseline_draft_id, planner_id, second_week
):
    with unit_of_work(sessions) as session:
        assert load_period_scenario(session, second_week).history == ()  # nothing published
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))

    with unit_of_work(sessions) as session:
        history = load_period_scenario(session, second_week).history
    night = [h for h in history if h.agent_id == NIGHT_WORKER and h.date == date(2027, 6, 13)]
    assert [h.shift_id for h in night] == ["s5"]
    assert all(h.date < SEAM for h in history)


def test_an_edit_that_breaks_rest_across_the_seam_is_refused(
    sessions, period_id, baseline_draft_id, planner_id, second_week
):
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    draft = _empty_draft(sessions, second_week)

    with pytest.raises(InvalidInput) as refused:  # 2 h after the night shift ends
        add_assignment(sessions, draft, NIGHT_WORKER, SEAM, "s1", planner_id)
    assert "min_rest" in {e["field"] for e in refused.value.errors}

    edit = add_assignment(sessions, draft, NIGHT_WORKER, SEAM, "s5", planner_id)  # 16 h later
    with unit_of_work(sessions) as session:
        version = session.get(m.RosterVersion, edit.version_id)
        assert version.history_version_id == baseline_draft_id
    done = publish(sessions, draft, planner_id, version_counter(sessions, draft))
    assert done["state"] == "published" and done["warnings"] == []


def test_a_draft_solved_before_its_neighbour_was_published_is_checked_at_publish(
    sessions, period_id, baseline_draft_id, planner_id, second_week
):
    draft = _empty_draft(sessions, second_week)
    add_assignment(sessions, draft, NIGHT_WORKER, SEAM, "s1", planner_id)  # no history yet
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))

    with pytest.raises(InvalidInput) as refused:
        publish(sessions, draft, planner_id, version_counter(sessions, draft))

    assert "min_rest" in {e["field"] for e in refused.value.errors}
    assert "June 2027" in str(refused.value) and "re-solve" in str(refused.value)
