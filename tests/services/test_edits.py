"""Hand edits: refused when they break a rule, a published roster is copied first."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from scheduler.checker import check_roster
from scheduler.services import (
    Conflict,
    Edit,
    InvalidInput,
    add_assignment,
    publish,
    remove_assignment,
    set_locked,
)
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import load_period_scenario, load_roster
from tests.services.helpers import at_once, version_counter


def _rows(sessions, version_id: int) -> list[tuple[int, str, object, str, bool]]:
    with unit_of_work(sessions) as session:
        return session.execute(
            select(
                m.Assignment.id,
                m.Agent.code,
                m.Assignment.local_date,
                m.Assignment.shift_code,
                m.Assignment.locked,
            )
            .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
            .where(m.Assignment.roster_version_id == version_id)
            .order_by(m.Agent.code, m.Assignment.local_date)
        ).all()


def _violations(sessions, period_id: int, version_id: int) -> list:
    with unit_of_work(sessions) as session:
        scenario = load_period_scenario(session, period_id)
        return check_roster(scenario, load_roster(session, version_id))


def test_second_shift_on_a_date_is_refused(sessions, period_id, baseline_draft_id, planner_id):
    _, agent, day, shift, _ = _rows(sessions, baseline_draft_id)[0]
    counter = version_counter(sessions, baseline_draft_id)
    other = "s1" if shift != "s1" else "s2"

    with pytest.raises(InvalidInput) as refused:
        add_assignment(sessions, baseline_draft_id, agent, day, other, planner_id)

    assert "one_shift_per_date" in {e["field"] for e in refused.value.errors}
    assert "one_shift_per_date" in str(refused.value)
    assert len(_rows(sessions, baseline_draft_id)) == 127
    assert version_counter(sessions, baseline_draft_id) == counter


def test_remove_then_add_keeps_the_draft_checkable(
    sessions, period_id, baseline_draft_id, planner_id
):
    assignment_id, agent, day, shift, _ = _rows(sessions, baseline_draft_id)[0]
    counter = version_counter(sessions, baseline_draft_id)

    removed = remove_assignment(sessions, assignment_id, planner_id)
    assert removed == Edit(baseline_draft_id, None, None)
    assert len(_rows(sessions, baseline_draft_id)) == 126
    assert _violations(sessions, period_id, baseline_draft_id) == []
    with pytest.raises(Conflict):  # the planner who read the old counter must reload
        publish(sessions, baseline_draft_id, planner_id, counter)

    added = add_assignment(sessions, baseline_draft_id, agent, day, shift, planner_id)
    assert (added.version_id, added.copied_from_id) == (baseline_draft_id, None)
    rows = _rows(sessions, baseline_draft_id)
    assert (added.assignment_id, agent, day, shift, True) in rows
    assert assignment_id not in [row[0] for row in rows]
    assert _violations(sessions, period_id, baseline_draft_id) == []
    published = publish(
        sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id)
    )
    assert published["state"] == "published"


def test_locking_a_published_shift_edits_a_new_draft(
    sessions, period_id, baseline_draft_id, planner_id
):
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    assignment_id, agent, day, shift, _ = _rows(sessions, baseline_draft_id)[5]

    edit = set_locked(sessions, assignment_id, True, planner_id)
    draft_id = edit.version_id

    assert draft_id != baseline_draft_id
    assert edit.copied_from_id == baseline_draft_id
    assert all(not locked for *_, locked in _rows(sessions, baseline_draft_id))
    locked = [row for row in _rows(sessions, draft_id) if row[4]]
    assert locked == [(edit.assignment_id, agent, day, shift, True)]
    assert edit.assignment_id != assignment_id
    with unit_of_work(sessions) as session:
        draft = session.get(m.RosterVersion, draft_id)
        assert (draft.state, draft.parent_id) == ("draft", baseline_draft_id)
        actions = [
            e.action for e in session.scalars(select(m.AuditEntry).order_by(m.AuditEntry.id))
        ]
    assert actions[-2:] == ["roster.copy", "roster.lock"]


def test_two_edits_of_one_draft_at_once_one_wins_one_conflicts(
    sessions, period_id, baseline_draft_id, planner_id
):
    rows = _rows(sessions, baseline_draft_id)
    first, second = rows[0][0], rows[-1][0]

    outcomes = at_once(
        [
            lambda: remove_assignment(sessions, first, planner_id),
            lambda: remove_assignment(sessions, second, planner_id),
        ]
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Edit"], outcomes
    assert "reload" in str(next(o for o in outcomes if isinstance(o, Conflict)))
    left = {row[0] for row in _rows(sessions, baseline_draft_id)}
    assert len({first, second} - left) == 1  # exactly the winner's shift is gone
    assert _violations(sessions, period_id, baseline_draft_id) == []


def test_two_edits_of_the_published_version_at_once_one_wins_one_conflicts(
    sessions, period_id, baseline_draft_id, planner_id
):
    """Both would copy the published roster into a new draft: one copy, one Conflict."""
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    rows = _rows(sessions, baseline_draft_id)

    outcomes = at_once(
        [
            lambda: set_locked(sessions, rows[0][0], True, planner_id),
            lambda: set_locked(sessions, rows[1][0], True, planner_id),
        ]
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Edit"], outcomes
    with unit_of_work(sessions) as session:
        drafts = session.scalars(select(m.RosterVersion.id).filter_by(state="draft")).all()
    assert len(drafts) == 1
