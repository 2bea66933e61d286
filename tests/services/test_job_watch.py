"""Jobs do not get stuck (issue 13, finding 5): a job left queued when its server
stopped is run by the next one, a job whose worker died is failed with the reason by
the job watch without anyone starting another solve, and a job the job queue did not
take waits, saying why, until the queue answers."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import update

from scheduler.jobs.watch import JobWatch, recover_jobs
from scheduler.services import start_solve
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from tests.services.helpers import wait_for_job


def _orphan(sessions, period_id, user_id) -> int:
    """A job queued by a server that stopped before running it."""
    with unit_of_work(sessions) as session:
        job = repository.enqueue_solve_job(
            session, period_id, {"time_limit_seconds": 1.0}, session.get(m.User, user_id)
        )
        job.dispatched_at = m.utc_now() - timedelta(minutes=5)
        session.flush()
        return job.id


def _dead_worker_job(sessions, period_id, silent_for: timedelta) -> int:
    now = m.utc_now()
    with unit_of_work(sessions) as session:
        job = repository.enqueue_solve_job(session, period_id, {"time_limit_seconds": 60.0})
        session.flush()
        session.execute(
            update(m.SolveJob)
            .where(m.SolveJob.id == job.id)
            .values(
                state="running",
                worker_id="celery@gone:1",
                started_at=now - silent_for,
                heartbeat_at=now - silent_for,
            )
        )
        return job.id


def _state(sessions, job_id) -> tuple[str, str | None]:
    with unit_of_work(sessions) as session:
        job = session.get(m.SolveJob, job_id)
        return job.state, job.error


def test_a_job_left_queued_by_a_stopped_server_is_run_on_start_up(sessions, period_id, planner_id):
    job_id = _orphan(sessions, period_id, planner_id)

    found = recover_jobs(sessions)

    assert found.handed == [job_id]
    job = wait_for_job(sessions, job_id)
    assert job["state"] == "succeeded", job["error"]
    assert "handed to the local runner again" in job["log"]
    assert recover_jobs(sessions).handed == []  # never twice


def test_the_job_watch_fails_a_dead_workers_job_by_itself(sessions, period_id):
    job_id = _dead_worker_job(sessions, period_id, timedelta(seconds=45))

    watch = JobWatch(sessions, every_seconds=0.2).start()
    try:
        deadline = time.monotonic() + 10
        while _state(sessions, job_id)[0] == "running" and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        watch.stop()

    state, error = _state(sessions, job_id)
    assert state == "failed"
    assert error.startswith("worker lost: no heartbeat since")


def test_a_job_the_queue_did_not_take_waits_and_says_why(
    sessions, period_id, planner_id, monkeypatch
):
    monkeypatch.setenv("SUNSHIFT_BROKER_URL", "redis://127.0.0.1:9/0")  # nothing listens

    job_id = start_solve(sessions, period_id, planner_id, time_limit_seconds=1)

    with unit_of_work(sessions) as session:
        job = session.get(m.SolveJob, job_id)
        assert (job.state, job.dispatched_at, job.error) == ("queued", None, None)
        assert "the job queue did not answer" in job.log
    found = recover_jobs(sessions)  # still down: tried again, still waiting
    assert found.unreachable == [job_id]
    monkeypatch.delenv("SUNSHIFT_BROKER_URL")  # the queue answers (here: the local runner)
    assert recover_jobs(sessions).handed == [job_id]
    assert wait_for_job(sessions, job_id)["state"] == "succeeded"
