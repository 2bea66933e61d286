"""Starting, watching and cancelling solve jobs, and re-solving after a change."""

from __future__ import annotations

import logging
import math
from typing import Any

from sqlalchemy import select, true, update
from sqlalchemy.orm import Session, sessionmaker

from scheduler.jobs import dispatch_solve_job, reap_stale_jobs
from scheduler.jobs.watch import note_queue_unreachable
from scheduler.limits import Limits, limits
from scheduler.services.common import job_view, user_or_none
from scheduler.services.errors import Conflict, InvalidInput, NotFound, TooManyRequests
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work

log = logging.getLogger(__name__)


MAX_TIME_LIMIT_SECONDS = 24 * 3600
"""The longest solve anyone may ask for (API, pages and CLI alike); the setting
``SUNSHIFT_MAX_SOLVE_SECONDS`` (``scheduler.limits``) lowers it."""


def start_solve(
    sessions: sessionmaker[Session],
    period_id: int,
    user_id: int | None,
    time_limit_seconds: float = 60,
    seed: int = 0,
    workers: int = 0,
    base_version_id: int | None = None,
    time_off_request_id: int | None = None,
) -> int:
    """Queue a solve of the period and hand it to the job runner; returns the job id.

    With ``base_version_id`` the solve keeps that version's locked shifts and
    changes as few of its other shifts as it can; with ``time_off_request_id`` it
    solves as if that time-off request were approved (``jobs.what_if_time_off``).
    Refused with ``InvalidInput`` past the time limit and solver threads allowed
    (``scheduler.limits``), with ``TooManyRequests`` while the user, the period or
    the service has as many queued and running solves as allowed. When the job
    queue does not answer the job stays queued, with the reason in its log, and the
    job watch hands it over once the queue answers.
    """
    settings = limits()
    _refuse_bad_options(time_limit_seconds, seed, workers, settings)
    reap_stale_jobs(sessions, m.utc_now())
    options = {"time_limit_seconds": float(time_limit_seconds), "seed": seed, "workers": workers}
    if time_off_request_id is not None:  # solve as if that request were approved
        options["time_off_request_id"] = time_off_request_id
    with unit_of_work(sessions) as session:
        period = session.get(m.PlanningPeriod, period_id, with_for_update=True)
        if period is None:
            raise NotFound(f"no planning period with id {period_id}")
        if base_version_id is not None:
            base = session.get(m.RosterVersion, base_version_id)
            if base is None or base.period_id != period_id:
                raise NotFound(f"no roster version {base_version_id} in period {period_id}")
        user = user_or_none(session, user_id)
        _refuse_too_many_jobs(session, period_id, user_id, settings)
        job = repository.enqueue_solve_job(session, period_id, options, user, base_version_id)
        job.dispatched_at = m.utc_now()
        session.flush()
        repository.record_audit(
            session,
            user,
            "solve.start",
            "solve_job",
            job.id,
            {"period_id": period_id, "base_version_id": base_version_id, **options},
        )
        job_id = job.id
    try:
        dispatch_solve_job(sessions, job_id)
    except Exception as problem:  # broker down: the job waits, and its log says why
        log.exception("job %s could not be dispatched", job_id)
        note_queue_unreachable(sessions, job_id, problem)
    return job_id


ACTIVE_STATES = ("queued", "running")


def _refuse_too_many_jobs(
    session: Session, period_id: int, user_id: int | None, settings: Limits
) -> None:
    """``TooManyRequests`` when a limit on queued + running solves is reached; its
    ``retry_after`` is when the soonest of the counted jobs should end."""
    checks = [
        (
            m.SolveJob.created_by_id == user_id if user_id is not None else None,
            settings.max_active_jobs_per_user,
            "per_user",
            "you have {n} solves queued or running (at most {limit} at once)",
        ),
        (
            m.SolveJob.period_id == period_id,
            settings.max_active_jobs_per_period,
            "per_period",
            "this period has {n} solves queued or running (at most {limit} at once)",
        ),
        (
            true(),
            settings.max_active_jobs,
            "service",
            "the service has {n} solves queued or running (at most {limit} at once)",
        ),
    ]
    for condition, limit, name, message in checks:
        if condition is None:
            continue
        active = session.execute(
            select(m.SolveJob.started_at, m.SolveJob.created_at, m.SolveJob.options).where(
                m.SolveJob.state.in_(ACTIVE_STATES), condition
            )
        ).all()
        if len(active) >= limit:
            raise TooManyRequests(
                message.format(n=len(active), limit=limit)
                + ": wait for one to finish or cancel one",
                _soonest_end(active),
                name,
            )


def _soonest_end(active: list) -> int:
    """Seconds until the first of these jobs should be done (its start, or now for a
    queued one, plus its time limit)."""
    now = m.utc_now()
    ends = [
        ((started_at or now) - now).total_seconds()
        + float((options or {}).get("time_limit_seconds", 60))
        for started_at, _created_at, options in active
    ]
    return max(1, math.ceil(min(ends, default=60)))


def _refuse_bad_options(
    time_limit_seconds: float, seed: int, workers: int, settings: Limits
) -> None:
    errors = []
    longest = min(MAX_TIME_LIMIT_SECONDS, settings.max_solve_seconds)
    checks = [
        (
            "time_limit_seconds",
            time_limit_seconds,
            isinstance(time_limit_seconds, int | float)
            and math.isfinite(time_limit_seconds)
            and 0 < time_limit_seconds <= longest,
            f"seconds > 0 and at most {longest:g} (SUNSHIFT_MAX_SOLVE_SECONDS)",
        ),
        ("seed", seed, isinstance(seed, int) and seed >= 0, "an integer >= 0"),
        (
            "workers",
            workers,
            isinstance(workers, int) and 0 <= workers <= settings.max_solve_workers,
            f"0 (all cores) to {settings.max_solve_workers} (SUNSHIFT_MAX_SOLVE_WORKERS)",
        ),
    ]
    for name, value, ok, expected in checks:
        if not ok:
            errors.append(
                {
                    "file": "",
                    "line": None,
                    "field": name,
                    "value": str(value),
                    "expected": expected,
                    "message": f"{name} {value!r} is not valid (expected {expected})",
                }
            )
    if errors:
        raise InvalidInput("solve options refused", errors)


def get_job(sessions: sessionmaker[Session], job_id: int) -> dict[str, Any]:
    """The job's state, progress, log and result (lost workers are reaped first)."""
    reap_stale_jobs(sessions, m.utc_now())
    with unit_of_work(sessions) as session:
        return job_view(_job(session, job_id))


def _job(session: Session, job_id: int) -> m.SolveJob:
    job = session.get(m.SolveJob, job_id)
    if job is None:
        raise NotFound(f"no solve job with id {job_id}")
    return job


def cancel_job(sessions: sessionmaker[Session], job_id: int, user_id: int | None) -> dict[str, Any]:
    """Cancel a job: a queued one at once, a running one at its next progress report
    or heartbeat (the worker stops the solver and saves nothing). A finished job
    cannot be cancelled: ``Conflict`` with its current state."""
    with unit_of_work(sessions) as session:
        user = user_or_none(session, user_id)
        job = _job(session, job_id)
        if job.state in m.JOB_FINAL_STATES:
            raise Conflict(f"job {job_id} is already {job.state}", job_view(job))
        now = m.utc_now()
        dropped = session.execute(
            update(m.SolveJob)
            .where(m.SolveJob.id == job_id, m.SolveJob.state == "queued")
            .values(state="cancelled", cancel_requested=True, finished_at=now)
            .execution_options(synchronize_session=False)
        )
        if dropped.rowcount == 0:
            session.execute(
                update(m.SolveJob)
                .where(m.SolveJob.id == job_id)
                .values(cancel_requested=True)
                .execution_options(synchronize_session=False)
            )
        repository.record_audit(
            session, user, "solve.cancel", "solve_job", job_id, {"was": job.state}
        )
    return get_job(sessions, job_id)


def resolve(
    sessions: sessionmaker[Session],
    period_id: int,
    user_id: int | None,
    time_limit_seconds: float = 60,
) -> int:
    """Re-solve after a change (a sick call): keep the published roster's locked
    shifts, change as few of its others as possible; returns the job id. The job's
    draft summary carries ``changes`` {kept, removed, added}."""
    with unit_of_work(sessions) as session:
        if session.get(m.PlanningPeriod, period_id) is None:
            raise NotFound(f"no planning period with id {period_id}")
        published = repository.published_version(session, period_id)
        if published is None:
            raise Conflict(
                f"period {period_id} has no published roster to re-solve from; "
                "solve and publish one first",
                {"period_id": period_id, "published_version_id": None},
            )
        base_id = published.id
    return start_solve(
        sessions,
        period_id,
        user_id,
        time_limit_seconds=time_limit_seconds,
        base_version_id=base_id,
    )
