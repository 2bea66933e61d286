"""Jobs whose worker died: a running job with a stale heartbeat is failed, never re-run.

A killed worker leaves its job ``running`` forever; nobody else may finish it
(the claim names the worker). After ``heartbeat_timeout_seconds`` without a
heartbeat (``SUNSHIFT_HEARTBEAT_TIMEOUT_SECONDS``, 30 s) the job is marked failed
with the reason, so the planner sees what happened and can start a new solve; the
roster versions are not touched. The job watch (``scheduler.jobs.watch``) runs it
every few seconds.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from scheduler.limits import limits
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work

log = logging.getLogger(__name__)


def reap_stale_jobs(
    sessions: sessionmaker[Session],
    now: datetime,
    heartbeat_timeout_seconds: float | None = None,
) -> list[int]:
    """Fail every running job silent for longer than the timeout; returns their ids.

    Each UPDATE repeats the staleness condition, so a worker that beats in
    between keeps its job.
    """
    if heartbeat_timeout_seconds is None:
        heartbeat_timeout_seconds = limits().heartbeat_timeout_seconds
    cutoff = now - timedelta(seconds=heartbeat_timeout_seconds)
    last_sign = func.coalesce(m.SolveJob.heartbeat_at, m.SolveJob.started_at)
    reaped = []
    with unit_of_work(sessions) as session:
        stale = session.execute(
            select(m.SolveJob.id, m.SolveJob.heartbeat_at, m.SolveJob.worker_id).where(
                m.SolveJob.state == "running", last_sign < cutoff
            )
        ).all()
        for job_id, heartbeat_at, worker_id in stale:
            since = heartbeat_at.isoformat() if heartbeat_at else "the start"
            reason = f"worker lost: no heartbeat since {since} (worker {worker_id})"
            done = session.execute(
                update(m.SolveJob)
                .where(m.SolveJob.id == job_id, m.SolveJob.state == "running", last_sign < cutoff)
                .values(state="failed", error=reason, finished_at=now)
                .execution_options(synchronize_session=False)
            )
            if done.rowcount == 1:
                repository.record_audit(
                    session, None, "solve.worker_lost", "solve_job", job_id, {"reason": reason}
                )
                reaped.append(job_id)
                log.warning("job %s: %s", job_id, reason)
    return reaped


def looks_lost(
    job: m.SolveJob, now: datetime, heartbeat_timeout_seconds: float | None = None
) -> bool:
    """True for a running job silent past the timeout (``reap_stale_jobs`` will fail it)."""
    if job.state != "running":
        return False
    if heartbeat_timeout_seconds is None:
        heartbeat_timeout_seconds = limits().heartbeat_timeout_seconds
    last = job.heartbeat_at or job.started_at
    return last is None or last < now - timedelta(seconds=heartbeat_timeout_seconds)
