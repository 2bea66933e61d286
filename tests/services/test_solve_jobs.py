"""Solve jobs on the in-process runner: import -> solve -> draft that passes the checker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from scheduler.checker import check_roster
from scheduler.jobs import reap_stale_jobs
from scheduler.services import Conflict, InvalidInput, NotFound, cancel_job, get_job, start_solve
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import load_period_scenario, load_roster
from tests.services.helpers import wait_for_job


def test_solve_job_ends_with_a_checked_draft(sessions, period_id, planner_id):
    job_id = start_solve(sessions, period_id, planner_id, time_limit_seconds=2)

    job = wait_for_job(sessions, job_id)

    assert job["state"] == "succeeded", job["error"]
    assert job["started_at"] <= job["finished_at"]
    assert job["progress"]["elapsed_seconds"] > 0
    assert "saved draft version 1" in job["log"]
    with unit_of_work(sessions) as session:
        version = session.get(m.RosterVersion, job["roster_version_id"])
        assert (version.state, version.created_by_id) == ("draft", planner_id)
        roster = load_roster(session, version.id)
        scenario = load_period_scenario(session, period_id)
        actions = set(session.scalars(select(m.AuditEntry.action)))
    assert roster.assignments
    assert check_roster(scenario, roster) == []
    assert {"solve.start", "roster.solved"} <= actions


def test_cancel_a_running_job(sessions, period_id, planner_id):
    job_id = start_solve(sessions, period_id, planner_id, time_limit_seconds=60)
    running = wait_for_job(sessions, job_id, states=("running", "succeeded", "failed"))
    assert running["state"] == "running"

    cancel_job(sessions, job_id, planner_id)
    job = wait_for_job(sessions, job_id)

    assert job["state"] == "cancelled"
    assert job["roster_version_id"] is None
    with unit_of_work(sessions) as session:
        assert session.scalars(select(m.RosterVersion)).all() == []
    with pytest.raises(Conflict) as clash:
        cancel_job(sessions, job_id, planner_id)
    assert clash.value.current["state"] == "cancelled"


def test_bad_options_and_unknown_period_are_refused(sessions, period_id, planner_id):
    with pytest.raises(InvalidInput) as refused:
        start_solve(sessions, period_id, planner_id, time_limit_seconds=0, workers=-1)
    assert [e["field"] for e in refused.value.errors] == ["time_limit_seconds", "workers"]
    with pytest.raises(NotFound):
        start_solve(sessions, period_id + 99, planner_id)


def test_reaper_fails_a_running_job_without_heartbeat(sessions, period_id, planner_id):
    """A job claimed by a worker that then vanished (no runner: inserted by hand)."""
    with unit_of_work(sessions) as session:
        job = m.SolveJob(period_id=period_id, options={"time_limit_seconds": 5})
        session.add(job)
        session.flush()
        job_id = job.id
    now = m.utc_now()
    with unit_of_work(sessions) as session:
        session.execute(
            update(m.SolveJob)
            .where(m.SolveJob.id == job_id)
            .values(state="running", worker_id="w1", started_at=now, heartbeat_at=now)
        )

    assert reap_stale_jobs(sessions, now + timedelta(seconds=29)) == []
    assert reap_stale_jobs(sessions, now + timedelta(seconds=31)) == [job_id]

    job = get_job(sessions, job_id)
    assert job["state"] == "failed"
    assert job["error"].startswith("worker lost: no heartbeat since")
