"""Solve jobs through real Redis and a real ``sunshift worker`` process.

Skipped locally when Redis does not answer; with ``CI=true`` Redis must be there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from scheduler.jobs import reap_stale_jobs
from scheduler.services import get_job, publish, start_solve
from scheduler.services.notifications import queue_mail
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from tests.services.helpers import version_counter, wait_for_job
from tests.services.smtp_sink import SmtpSink

BROKER_URL = os.environ.get("SUNSHIFT_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")


def _redis_problem(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception as problem:  # any client error means "not reachable"
        return str(problem)
    return None


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> str:
    problem = _redis_problem(BROKER_URL)
    if problem is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis at {BROKER_URL} is unreachable: {problem}")
        pytest.skip(f"Redis at {BROKER_URL} is unreachable: {problem}")
    monkeypatch.setenv("SUNSHIFT_BROKER_URL", BROKER_URL)
    return BROKER_URL


@pytest.fixture
def worker(broker: str, database_url: str, tmp_path: Path) -> Iterator[subprocess.Popen]:
    """``python -m scheduler worker`` on the test database, stopped afterwards."""
    env = os.environ | {"SUNSHIFT_BROKER_URL": broker, "DATABASE_URL": database_url}
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "scheduler", "worker", "--loglevel", "INFO"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parents[2],
    )
    yield process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log.close()


def test_worker_solves_a_job_end_to_end(sessions, period_id, planner_id, worker):
    job_id = start_solve(sessions, period_id, planner_id, time_limit_seconds=2)

    job = wait_for_job(sessions, job_id)

    assert job["state"] == "succeeded", job["error"]
    assert job["worker_id"].startswith("celery@")
    assert job["roster_version_id"] is not None


def test_killed_worker_leaves_a_failed_job_and_the_published_roster(
    sessions, period_id, planner_id, baseline_draft_id, worker
):
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    job_id = start_solve(sessions, period_id, planner_id, time_limit_seconds=30)
    running = wait_for_job(sessions, job_id, states=("running", "succeeded", "failed"))
    assert running["state"] == "running"

    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert get_job(sessions, job_id)["state"] == "running"  # nobody knows yet
    heartbeat = m.utc_now()
    reaped = reap_stale_jobs(sessions, heartbeat + timedelta(seconds=31))

    assert reaped == [job_id]
    job = get_job(sessions, job_id)
    assert job["state"] == "failed"
    assert job["error"].startswith("worker lost: no heartbeat since")
    with unit_of_work(sessions) as session:
        versions = session.scalars(select(m.RosterVersion)).all()
        assert [(v.id, v.state) for v in versions] == [(baseline_draft_id, "published")]
        shifts = session.scalar(
            select(func.count(m.Assignment.id)).filter_by(roster_version_id=baseline_draft_id)
        )
        assert shifts == 127


@pytest.fixture
def smtp_in_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    monkeypatch.setenv("SUNSHIFT_SMTP_URL", sink.url)
    monkeypatch.setenv("SUNSHIFT_MAIL_SEND_SECONDS", "0.5")
    yield sink
    sink.stop()


@pytest.fixture
def mailing_worker(smtp_in_env: SmtpSink, worker: subprocess.Popen) -> SmtpSink:
    """A worker started with SUNSHIFT_SMTP_URL set (the sink first, then the worker)."""
    return smtp_in_env


def test_worker_sends_the_outbox(sessions, mailing_worker: SmtpSink):
    with unit_of_work(sessions) as session:
        queue_mail(session, to_address="ops@example.com", subject="Hi", body="b", kind="t")
    deadline = time.monotonic() + 60
    while not mailing_worker.recipients and time.monotonic() < deadline:
        time.sleep(0.2)
    assert mailing_worker.recipients == ["ops@example.com"]
