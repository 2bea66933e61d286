"""Revert: an earlier version published again exactly, checked again, and said in
the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from scheduler.services import (
    Conflict,
    InvalidInput,
    publish,
    record_time_off,
    remove_assignment,
    revert,
    revert_preview,
)
from scheduler.services.audit import period_audit
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import load_roster
from tests.services.helpers import version_counter


def _keys(sessions, version_id: int) -> set[tuple]:
    with unit_of_work(sessions) as session:
        return {
            (a.agent_id, a.date, a.shift_id, a.start_utc, a.end_utc, a.site_id)
            for a in load_roster(session, version_id).assignments
        }


@pytest.fixture
def two_published(sessions, period_id, baseline_draft_id, planner_id):
    """Version 1 published, then a copy without one shift published over it."""
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    with unit_of_work(sessions) as session:
        row = session.scalars(
            select(m.Assignment).filter_by(roster_version_id=baseline_draft_id).limit(1)
        ).one()
        row_id, agent = row.id, session.get(m.Agent, row.agent_id).code
    edit = remove_assignment(sessions, row_id, planner_id)
    publish(sessions, edit.version_id, planner_id, version_counter(sessions, edit.version_id))
    return baseline_draft_id, edit.version_id, agent


def test_revert_restores_the_earlier_roster_exactly(sessions, period_id, planner_id, two_published):
    first, second, agent = two_published

    preview = revert_preview(sessions, first)
    done = revert(sessions, first, planner_id, expected_published_id=second)

    assert preview["published_id"] == second
    assert (preview["kept"], preview["removed"], preview["added"]) == (
        len(_keys(sessions, second)),
        0,
        1,
    )
    assert [a["agent_id"] for a in preview["agents"]] == [agent]
    assert done["state"] == "published" and done["superseded_id"] == second
    assert done["reverted_from"] == first and done["changes"]["added"] == 1
    assert _keys(sessions, done["id"]) == _keys(sessions, first)
    with unit_of_work(sessions) as session:
        states = dict(
            session.execute(
                select(m.RosterVersion.id, m.RosterVersion.state).filter_by(period_id=period_id)
            ).all()
        )
        assert session.get(m.RosterVersion, done["id"]).parent_id == first
        entries = period_audit(session, period_id)
        for_agent = period_audit(session, period_id, agent_id=agent)
    assert states == {first: "superseded", second: "superseded", done["id"]: "published"}
    assert entries[0]["action"] == "roster.publish" and entries[1]["action"] == "roster.revert"
    assert "version " + str(first) in entries[1]["text"]
    assert [e["action"] for e in for_agent] == ["roster.remove_shift"]
    assert {e["action"] for e in entries} >= {"period.import", "roster.copy", "roster.publish"}


def test_revert_is_checked_against_todays_data(sessions, period_id, planner_id, two_published):
    first, second, agent = two_published
    with unit_of_work(sessions) as session:
        shift = next(a for a in load_roster(session, first).assignments if a.agent_id != agent)
    record_time_off(sessions, period_id, shift.agent_id, shift.date, shift.date, "sick", planner_id)

    with pytest.raises(InvalidInput) as refused:
        revert(sessions, first, planner_id)

    assert "reverting to version" in str(refused.value)
    assert any(e["field"] == "time_off" for e in refused.value.errors)
    with unit_of_work(sessions) as session:
        published = session.scalar(
            select(m.RosterVersion.id).filter_by(period_id=period_id, state="published")
        )
    assert published == second


def test_only_a_formerly_published_version_is_reverted_to(
    sessions, period_id, planner_id, two_published
):
    first, second, _agent = two_published
    with pytest.raises(Conflict):
        revert(sessions, second, planner_id)
    with pytest.raises(Conflict):  # someone published meanwhile
        revert(sessions, first, planner_id, expected_published_id=first)
