"""Jobs that nobody will finish: found on start-up and every few seconds after.

* A **running** job whose heartbeat stopped (its worker was killed, ran out of
  memory, lost its machine) is failed with the reason (``reap_stale_jobs``); it is
  never re-run, the planner starts a new solve.
* A **queued** job nobody holds is handed to the runner again: with the local runner,
  one that no thread of this process holds (queued when the previous server
  stopped); with Celery, one that never reached the job queue (Redis was down when
  it was started) or was handed over longer than ``SUNSHIFT_REQUEUE_SECONDS`` ago (a
  message lost with a Redis restart). A message delivered twice is harmless: the
  claim lets only one worker run a job.

Each hand-over and each failure to reach the queue is a line in the job's log, so
the job page and the API say why a job waits. ``JobWatch`` runs ``recover_jobs`` on
a thread of the web server (``sunshift serve``, ``sunshift demo``).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from scheduler.jobs import broker_url, dispatch_solve_job
from scheduler.jobs.reaper import reap_stale_jobs
from scheduler.limits import limits
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work

log = logging.getLogger(__name__)


@dataclass
class Recovered:
    reaped: list[int] = field(default_factory=list)
    """Running jobs failed because their worker was lost."""
    handed: list[int] = field(default_factory=list)
    """Queued jobs handed to the runner again."""
    unreachable: list[int] = field(default_factory=list)
    """Queued jobs the job queue did not take (tried again next time)."""


def recover_jobs(sessions: sessionmaker[Session], now: datetime | None = None) -> Recovered:
    """Fail lost running jobs and hand orphaned queued jobs over again."""
    now = now or m.utc_now()
    settings = limits()
    found = Recovered(reap_stale_jobs(sessions, now, settings.heartbeat_timeout_seconds))
    with unit_of_work(sessions) as session:
        queued = session.execute(
            select(m.SolveJob.id, m.SolveJob.dispatched_at)
            .where(m.SolveJob.state == "queued", m.SolveJob.cancel_requested.is_(False))
            .order_by(m.SolveJob.created_at, m.SolveJob.id)
        ).all()
    local = broker_url() is None
    if local:
        from scheduler.jobs.local import holds_local

        orphans = [job_id for job_id, _ in queued if not holds_local(job_id)]
    else:
        cutoff = now.timestamp() - settings.requeue_seconds
        orphans = [
            job_id
            for job_id, handed_at in queued
            if handed_at is None or handed_at.timestamp() < cutoff
        ]
    for job_id in orphans:
        if not _take_hand_over(sessions, job_id, now, local, settings.requeue_seconds):
            continue  # another server took it, or a worker claimed it meanwhile
        try:
            dispatch_solve_job(sessions, job_id)
        except Exception as problem:  # the broker is down: try again next time
            note_queue_unreachable(sessions, job_id, problem)
            found.unreachable.append(job_id)
            continue
        found.handed.append(job_id)
    if found.reaped or found.handed or found.unreachable:
        log.warning("job watch: %s", found)
    return found


def _take_hand_over(
    sessions: sessionmaker[Session], job_id: int, now: datetime, local: bool, requeue: float
) -> bool:
    """Mark the job as handed over now, if it is still queued and still due (only one of
    several servers wins this UPDATE)."""
    due = [m.SolveJob.id == job_id, m.SolveJob.state == "queued"]
    if not local:
        cutoff = datetime.fromtimestamp(now.timestamp() - requeue, tz=now.tzinfo)
        due.append(or_(m.SolveJob.dispatched_at.is_(None), m.SolveJob.dispatched_at < cutoff))
    runner = "local" if local else "celery"
    line = f"{_stamp()} handed to the {runner} runner again (nobody held it)\n"
    with unit_of_work(sessions) as session:
        taken = session.execute(
            update(m.SolveJob)
            .where(*due)
            .values(dispatched_at=now, log=m.SolveJob.log + line)
            .execution_options(synchronize_session=False)
        )
        return taken.rowcount == 1


def _stamp() -> str:
    return m.utc_now().isoformat(timespec="seconds")


def note_job(sessions: sessionmaker[Session], job_id: int, line: str) -> None:
    """Add a timestamped line to a queued job's log."""
    with unit_of_work(sessions) as session:
        session.execute(
            update(m.SolveJob)
            .where(m.SolveJob.id == job_id, m.SolveJob.state == "queued")
            .values(log=m.SolveJob.log + f"{_stamp()} {line}\n")
            .execution_options(synchronize_session=False)
        )


def note_queue_unreachable(
    sessions: sessionmaker[Session], job_id: int, problem: BaseException
) -> None:
    """The job stays queued, marked as never handed over, with the reason in its log."""
    log.warning("job %s: the job queue did not answer: %s", job_id, problem)
    with unit_of_work(sessions) as session:
        session.execute(
            update(m.SolveJob)
            .where(m.SolveJob.id == job_id, m.SolveJob.state == "queued")
            .values(dispatched_at=None)
            .execution_options(synchronize_session=False)
        )
    first_line = str(problem).splitlines()[0] if str(problem) else type(problem).__name__
    note_job(
        sessions,
        job_id,
        f"the job queue did not answer ({first_line[:200]}): the job stays queued and is "
        "handed over as soon as it answers",
    )


class JobWatch:
    """A daemon thread running ``recover_jobs`` at start and every
    ``SUNSHIFT_JOB_WATCH_SECONDS`` (an error is logged, and the next round tries again)."""

    def __init__(self, sessions: sessionmaker[Session], every_seconds: float | None = None):
        self.sessions = sessions
        self.every_seconds = every_seconds or limits().job_watch_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sunshift-job-watch", daemon=True)

    def start(self) -> JobWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while True:
            try:
                recover_jobs(self.sessions)
            except Exception:  # the database is away: the next round tries again
                log.exception("job watch: round failed")
            if self._stop.wait(self.every_seconds):
                return
