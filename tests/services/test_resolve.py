"""A sick call after publishing, then a re-solve that changes as little as it can."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from scheduler.checker import check_roster
from scheduler.services import publish, record_time_off, resolve, set_locked, start_solve
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import load_period_scenario, load_roster
from tests.services.helpers import version_counter, wait_for_job


def _shifts(sessions, version_id: int) -> dict[tuple, bool]:
    """(agent, date, shift) -> locked."""
    with unit_of_work(sessions) as session:
        rows = session.execute(
            select(
                m.Agent.code, m.Assignment.local_date, m.Assignment.shift_code, m.Assignment.locked
            )
            .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
            .where(m.Assignment.roster_version_id == version_id)
        )
        return {(agent, day, shift): locked for agent, day, shift, locked in rows}


def _assignment_id(sessions, version_id: int, key: tuple) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(
            select(m.Assignment.id)
            .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
            .where(
                m.Assignment.roster_version_id == version_id,
                m.Agent.code == key[0],
                m.Assignment.local_date == key[1],
                m.Assignment.shift_code == key[2],
            )
        )


def test_sick_call_and_resolve_changes_little_and_keeps_locks(sessions, period_id, planner_id):
    solved = wait_for_job(sessions, start_solve(sessions, period_id, planner_id, 3))
    assert solved["state"] == "succeeded", solved["error"]
    first = solved["roster_version_id"]
    publish(sessions, first, planner_id, version_counter(sessions, first))
    shifts = sorted(_shifts(sessions, first))
    sick_agent, sick_day, _ = shifts[0]
    sick_days = {sick_day, sick_day + timedelta(days=1)}
    # pin the sick agent's first shift and three shifts of other agents
    others = [k for k in shifts if k[0] != sick_agent][::25][:3]
    draft = None
    for key in [shifts[0], *others]:
        source = draft or first
        draft = set_locked(
            sessions, _assignment_id(sessions, source, key), True, planner_id
        ).version_id
    publish(sessions, draft, planner_id, version_counter(sessions, draft))
    record_time_off(
        sessions, period_id, sick_agent, min(sick_days), max(sick_days), "sick", planner_id
    )

    job = wait_for_job(sessions, resolve(sessions, period_id, planner_id, time_limit_seconds=4))

    assert job["state"] == "succeeded", job["error"]
    assert f"unlocked and dropped {sick_agent} {sick_day}" in job["log"]
    before = _shifts(sessions, draft)
    after = _shifts(sessions, job["roster_version_id"])
    assert not [k for k in after if k[0] == sick_agent and k[1] in sick_days]
    assert all(after.get(key) is True for key in others)  # still there, still locked
    with unit_of_work(sessions) as session:
        version = session.get(m.RosterVersion, job["roster_version_id"])
        scenario = load_period_scenario(session, period_id)
        roster = load_roster(session, version.id)
        assert version.parent_id == draft
    changes = roster.summary["changes"]
    sick_shifts = len([k for k in before if k[0] == sick_agent and k[1] in sick_days])
    assert changes["kept"] == len(set(before) & set(after))
    assert changes["removed"] >= sick_shifts
    # the re-solve may still fix floor gaps a 3 s first solve left (floors outrank
    # stability), but it keeps the roster: a fresh solve replaces most of it
    assert changes["removed"] <= sick_shifts + len(before) // 5, changes
    assert check_roster(scenario, roster) == []
