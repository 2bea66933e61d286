"""Background solve jobs: the job body, its runners and the reaper of lost workers.

Without ``SUNSHIFT_BROKER_URL`` jobs run on a thread of the calling process
(``local``); with it they go to Celery workers (``celery_app``). See docs/jobs.md.
"""

from __future__ import annotations

import os

from sqlalchemy.orm import Session, sessionmaker

from scheduler.jobs.reaper import reap_stale_jobs
from scheduler.jobs.run import run_solve_job

BROKER_ENV = "SUNSHIFT_BROKER_URL"

__all__ = ["BROKER_ENV", "broker_url", "dispatch_solve_job", "reap_stale_jobs", "run_solve_job"]


def broker_url() -> str | None:
    return os.environ.get(BROKER_ENV, "").strip() or None


def dispatch_solve_job(sessions: sessionmaker[Session], job_id: int) -> str:
    """Hand a committed, queued job to the configured runner; returns its name. Raises
    when the job queue does not answer (the caller keeps the job queued)."""
    if broker_url() is None:
        from scheduler.jobs.local import submit_local

        submit_local(sessions, job_id)
        return "local"
    from scheduler.jobs.celery_app import SOLVE_TASK, app

    with app.connection_for_write(broker_url()) as connection:
        connection.ensure_connection(max_retries=1)  # a down broker fails in ~2 s
        app.send_task(SOLVE_TASK, args=[job_id], connection=connection, retry=False)
    return "celery"
