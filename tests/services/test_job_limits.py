"""One user cannot tie up the service (issue 13, finding 3): queued + running solves
are limited per user, per period and in all, the time limit by a setting, solver
threads by the machine's cores; each refusal says when to try again."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from scheduler.services import InvalidInput, cancel_job, start_solve
from scheduler.services.errors import TooManyRequests
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from tests.services.helpers import wait_for_job


def _queue(sessions, period_id, user_id, n=1, time_limit=120.0) -> list[int]:
    """Jobs queued as if by start_solve (no runner takes them: nothing is solved)."""
    ids = []
    with unit_of_work(sessions) as session:
        user = session.get(m.User, user_id) if user_id else None
        for _ in range(n):
            job = repository.enqueue_solve_job(
                session, period_id, {"time_limit_seconds": time_limit}, user
            )
            session.flush()
            ids.append(job.id)
    return ids


def _second_planner(sessions) -> int:
    with unit_of_work(sessions) as session:
        user = repository.add_user(session, "quinn", "planner")
        session.flush()
        return user.id


def test_a_user_may_have_only_so_many_solves_queued_or_running(
    sessions, period_id, planner_id, monkeypatch
):
    monkeypatch.setenv("SUNSHIFT_MAX_ACTIVE_JOBS_PER_PERIOD", "10")
    _queue(sessions, period_id, planner_id, n=2, time_limit=300)

    with pytest.raises(TooManyRequests) as refused:
        start_solve(sessions, period_id, planner_id, time_limit_seconds=1)

    assert refused.value.limit == "per_user"
    assert "at most 2 at once" in str(refused.value)
    assert 1 <= refused.value.retry_after <= 300
    other = start_solve(sessions, period_id, _second_planner(sessions), time_limit_seconds=1)
    assert wait_for_job(sessions, other)["state"] == "succeeded"


def test_a_finished_or_cancelled_solve_frees_its_place(sessions, period_id, planner_id):
    first, second = _queue(sessions, period_id, planner_id, n=2)
    cancel_job(sessions, first, planner_id)

    job_id = start_solve(sessions, period_id, planner_id, time_limit_seconds=1)

    assert wait_for_job(sessions, job_id)["state"] == "succeeded"
    with unit_of_work(sessions) as session:
        assert session.get(m.SolveJob, second).state == "queued"


def test_a_period_and_the_service_have_limits_of_their_own(
    sessions, period_id, planner_id, monkeypatch
):
    _queue(sessions, period_id, None, n=2)
    with pytest.raises(TooManyRequests) as refused:
        start_solve(sessions, period_id, planner_id, time_limit_seconds=1)
    assert refused.value.limit == "per_period"

    monkeypatch.setenv("SUNSHIFT_MAX_ACTIVE_JOBS_PER_PERIOD", "10")
    monkeypatch.setenv("SUNSHIFT_MAX_ACTIVE_JOBS", "2")
    with pytest.raises(TooManyRequests) as refused:
        start_solve(sessions, period_id, planner_id, time_limit_seconds=1)
    assert refused.value.limit == "service"
    with unit_of_work(sessions) as session:  # nothing was queued by the refusals
        assert len(session.scalars(select(m.SolveJob)).all()) == 2


def test_the_time_limit_is_capped_by_a_setting(sessions, period_id, planner_id, monkeypatch):
    monkeypatch.setenv("SUNSHIFT_MAX_SOLVE_SECONDS", "600")

    with pytest.raises(InvalidInput) as refused:
        start_solve(sessions, period_id, planner_id, time_limit_seconds=601)

    assert refused.value.errors[0]["field"] == "time_limit_seconds"
    assert "at most 600" in refused.value.errors[0]["expected"]


def test_solver_threads_are_capped_at_the_cores(sessions, period_id, planner_id):
    cores = os.cpu_count() or 1
    with pytest.raises(InvalidInput) as refused:
        start_solve(sessions, period_id, planner_id, time_limit_seconds=1, workers=cores + 1)
    assert refused.value.errors[0]["field"] == "workers"

    job_id = start_solve(sessions, period_id, planner_id, time_limit_seconds=1, workers=cores)
    assert wait_for_job(sessions, job_id)["state"] == "succeeded"


def test_a_worker_never_runs_more_threads_than_its_cores(
    sessions, period_id, planner_id, monkeypatch
):
    """A job asked for more threads (on a server with more cores) runs with this
    worker's cores, and says so."""
    monkeypatch.setenv("SUNSHIFT_MAX_SOLVE_WORKERS", "64")
    job_id = start_solve(sessions, period_id, planner_id, time_limit_seconds=1, workers=64)

    job = wait_for_job(sessions, job_id)

    assert job["state"] == "succeeded", job["error"]
    assert f"this worker has {os.cpu_count()} cores" in job["log"]
