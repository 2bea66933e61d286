"""The Celery app for solve workers on other machines (``SUNSHIFT_BROKER_URL``).

Run a worker with ``sunshift worker`` (or ``celery -A scheduler.jobs.celery_app
worker --pool threads --concurrency 1``). Delivery settings, and why:

* ``task_acks_late``: the message is acknowledged when the task returns, so a
  worker that dies before claiming the job leaves the message to be redelivered
  and the job is still run.
* ``task_reject_on_worker_lost = False``: a worker lost mid-task does not
  requeue the message at once. The job row was already claimed (``running``);
  a redelivered message (a whole worker killed: Redis redelivers after its
  visibility timeout) finds it claimed and does nothing, so no job is ever run
  twice or resumed into a half state. The reaper fails it after 30 s without
  a heartbeat; the planner starts a new solve.
* prefetch 1, concurrency 1, thread pool: one solve per worker (it uses every
  core); a thread pool keeps the solve in the worker process, so killing the
  worker really stops the solve (a prefork child could outlive its parent).
"""

from __future__ import annotations

import logging
import os
import socket
from functools import cache

from celery import Celery
from celery.signals import worker_ready
from sqlalchemy.orm import Session, sessionmaker

from scheduler.jobs.reaper import reap_stale_jobs
from scheduler.jobs.run import run_solve_job
from scheduler.storage.db import make_engine, session_factory
from scheduler.storage.models import utc_now

BROKER_ENV = "SUNSHIFT_BROKER_URL"
SOLVE_TASK = "sunshift.solve"

log = logging.getLogger(__name__)

app = Celery("sunshift", broker=os.environ.get(BROKER_ENV) or "redis://127.0.0.1:6379/0")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=False,
    worker_prefetch_multiplier=1,
    worker_concurrency=1,
    worker_pool="threads",
    task_ignore_result=True,
    task_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


@cache
def worker_sessions() -> sessionmaker[Session]:
    """One engine per worker process, from ``DATABASE_URL``."""
    return session_factory(make_engine())


def worker_id() -> str:
    return f"celery@{socket.gethostname()}:{os.getpid()}"


@app.task(name=SOLVE_TASK)
def solve(job_id: int) -> str:
    return run_solve_job(worker_sessions(), job_id, worker_id())


@worker_ready.connect
def _reap_on_start(**_kwargs: object) -> None:
    """A restarted worker first fails the jobs its dead predecessor left running."""
    reaped = reap_stale_jobs(worker_sessions(), utc_now())
    if reaped:
        log.warning("failed %d job(s) whose worker was lost: %s", len(reaped), reaped)


@worker_ready.connect
def _send_mail(**_kwargs: object) -> None:
    """With SUNSHIFT_SMTP_URL set, the worker also sends the outbox on a thread of its
    own (each message is claimed by one sender, however many workers run)."""
    from scheduler.mail.loop import MailLoop
    from scheduler.mail.settings import smtp_settings

    smtp = smtp_settings()
    if smtp is not None:
        MailLoop(worker_sessions(), smtp, name="celery").start()
        log.info("sending the outbox through %s", smtp.describe())
