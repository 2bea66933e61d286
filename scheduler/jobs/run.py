"""The body of a solve job, the same under the local pool and under Celery.

Claim (a conditional UPDATE: a redelivered or duplicate message finds the job
taken and does nothing) -> load the period -> solve with progress, heartbeat
and cooperative cancel -> save the roster as a new draft and mark the job
succeeded in one transaction. Any failure marks the job failed with the reason;
a job only ever adds a draft version, so a published roster is never touched.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from scheduler.domain import Assignment, Scenario
from scheduler.jobs.monitor import JobCancelled, JobMonitor
from scheduler.jobs.what_if_time_off import OPTION as WHAT_IF_OPTION
from scheduler.jobs.what_if_time_off import with_requested_time_off
from scheduler.pipeline import LockedShiftUnavailable, SolvedRoster, SolveOptions, solve_scenario
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.chain import period_history
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import load_period_scenario, load_roster, save_roster

log = logging.getLogger(__name__)

ERROR_LIMIT = 2000
"""Characters of an exception message kept in ``solve_jobs.error`` (the log has the rest)."""


class JobLostError(RuntimeError):
    """The job stopped being this worker's (reaped as lost) before it could finish."""


@dataclass
class SolveWork:
    """Everything a job needs, read in one transaction before the long solve."""

    period_id: int
    scenario: Scenario
    options: SolveOptions
    created_by_id: int | None
    base_version_id: int | None = None
    locked: list[Assignment] = field(default_factory=list)
    previous: tuple[Assignment, ...] = ()
    data_hash: str | None = None
    """The period's data the scenario was read from (saved with the roster)."""
    history_version_id: int | None = None
    """The previous period's published version the scenario's history came from."""


def run_solve_job(sessions: sessionmaker[Session], job_id: int, worker_id: str) -> str:
    """Run job ``job_id`` to its end; returns the state it ended in (or found it in)."""
    with unit_of_work(sessions) as session:
        job = session.get(m.SolveJob, job_id)
        if job is None:
            log.warning("job %s does not exist; nothing to do", job_id)
            return "missing"
        if job.state == "queued" and job.cancel_requested:
            _finish(session, job_id, None, "cancelled", claimed=False)
            return "cancelled"
        if not repository.claim_solve_job(session, job_id, worker_id, m.utc_now()):
            log.info("job %s is %s already; not run again", job_id, job.state)
            return job.state
        queued_log = job.log or ""  # why it waited (the job watch's notes), kept
    started = time.monotonic()
    with JobMonitor(sessions, job_id, worker_id, earlier_log=queued_log) as monitor:
        try:
            solved, work = _solve(sessions, job_id, monitor)
            if monitor.cancelled.is_set():
                raise JobCancelled(f"job {job_id} cancelled")
        except JobCancelled:
            monitor.stop()
            state = "failed" if monitor.lost else "cancelled"
            monitor.note(
                "lost: the job was taken from this worker" if monitor.lost else "cancelled"
            )
            _end(sessions, job_id, worker_id, state, monitor, started, None)
            return state
        except Exception as problem:
            monitor.stop()
            monitor.note(traceback.format_exc().rstrip())
            reason = f"{type(problem).__name__}: {problem}"[:ERROR_LIMIT]
            _end(sessions, job_id, worker_id, "failed", monitor, started, reason)
            return "failed"
        monitor.stop()
        try:
            _save(sessions, job_id, worker_id, work, solved, monitor, started)
        except Exception as problem:
            monitor.note(traceback.format_exc().rstrip())
            reason = f"roster not saved: {type(problem).__name__}: {problem}"[:ERROR_LIMIT]
            _end(sessions, job_id, worker_id, "failed", monitor, started, reason)
            return "failed"
    return "succeeded"


def _solve(
    sessions: sessionmaker[Session], job_id: int, monitor: JobMonitor
) -> tuple[SolvedRoster, SolveWork]:
    loading = time.monotonic()
    work = _load_work(sessions, job_id, monitor)
    monitor.note(
        f"loaded period {work.period_id}: {len(work.scenario.agents)} agents, "
        f"{work.scenario.horizon.days} days in {time.monotonic() - loading:.1f} s"
    )
    solving = time.monotonic()
    try:
        solved = _solve_keeping_locks(work, monitor)
    finally:
        monitor.note(f"solver ran {time.monotonic() - solving:.1f} s")
    summary = solved.roster.summary
    monitor.note(
        f"solved: {summary['status']}, shortfall {summary['shortfall']} "
        f"(bound {summary['bound']}), floor gaps {summary['floor_gaps']}"
    )
    return solved, work


def _workers_here(asked: int, monitor: JobMonitor) -> int:
    """Solver threads, never more than this machine's cores (0: all of them)."""
    cores = os.cpu_count() or 1
    if asked > cores:
        monitor.note(f"asked for {asked} solver threads; this worker has {cores} cores")
        return cores
    return asked


def _load_work(sessions: sessionmaker[Session], job_id: int, monitor: JobMonitor) -> SolveWork:
    with unit_of_work(sessions) as session:
        job = session.get(m.SolveJob, job_id)
        options = SolveOptions(
            time_limit_seconds=float(job.options.get("time_limit_seconds", 60)),
            seed=int(job.options.get("seed", 0)),
            workers=_workers_here(int(job.options.get("workers", 0)), monitor),
        )
        scenario = load_period_scenario(session, job.period_id)
        request_id = job.options.get(WHAT_IF_OPTION)
        if request_id is not None:
            scenario, what = with_requested_time_off(
                session, scenario, job.period_id, int(request_id)
            )
            monitor.note(what)
        work = SolveWork(job.period_id, scenario, options, job.created_by_id)
        period = session.get(m.PlanningPeriod, job.period_id)
        work.data_hash = period.data_hash
        link = period_history(session, period)[1]
        work.history_version_id = link.version_id if link is not None else None
        if job.base_version_id is not None:
            base = load_roster(session, job.base_version_id)
            pinned = locked_keys(session, job.base_version_id)
            work.base_version_id = job.base_version_id
            work.previous = base.assignments
            work.locked = [a for a in base.assignments if (a.agent_id, a.date) in pinned]
    if work.history_version_id is not None:
        monitor.note(
            f"history: {len(work.scenario.history)} shift(s) of the previous period's "
            f"published version {work.history_version_id} (its last 14 days)"
        )
    if work.base_version_id is not None:
        work.locked = _drop_locked_on_time_off(work.scenario, work.locked, monitor)
        monitor.note(
            f"re-solve from version id {work.base_version_id}: keeping {len(work.locked)} "
            f"locked shift(s), changing as few of its {len(work.previous)} shifts as possible"
        )
    return work


def locked_keys(session: Session, version_id: int) -> set[tuple[str, date]]:
    """(agent code, local date) of the locked assignments of a version."""
    rows = session.execute(
        select(m.Agent.code, m.Assignment.local_date)
        .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
        .where(m.Assignment.roster_version_id == version_id, m.Assignment.locked)
    )
    return {(code, day) for code, day in rows}


def _drop_locked_on_time_off(
    scenario: Scenario, locked: list[Assignment], monitor: JobMonitor
) -> list[Assignment]:
    """A sick call beats a pin: locked shifts on the agent's time off are dropped."""
    off: dict[str, list[tuple[date, date]]] = {}
    for absence in scenario.time_off:
        off.setdefault(absence.agent_id, []).append((absence.start_date, absence.end_date))
    kept = []
    for shift in locked:
        if any(first <= shift.date <= last for first, last in off.get(shift.agent_id, ())):
            monitor.note(
                f"unlocked and dropped {shift.agent_id} {shift.date} {shift.shift_id}: on time off"
            )
        else:
            kept.append(shift)
    return kept


def _solve_keeping_locks(work: SolveWork, monitor: JobMonitor) -> SolvedRoster:
    """Solve; locked shifts the scenario no longer allows (agent gone, shift
    removed) are dropped with a log line and the solve is run again, once."""
    try:
        return _run_solver(work, monitor)
    except LockedShiftUnavailable as refused:
        gone = {(a.agent_id, a.date, a.shift_id) for a in refused.refused}
        for a in refused.refused:
            monitor.note(f"unlocked and dropped {a.agent_id} {a.date} {a.shift_id}: not allowed")
        work.locked = [a for a in work.locked if (a.agent_id, a.date, a.shift_id) not in gone]
        return _run_solver(work, monitor)


def _run_solver(work: SolveWork, monitor: JobMonitor) -> SolvedRoster:
    return solve_scenario(
        work.scenario,
        work.options,
        on_progress=monitor.on_progress,
        locked=work.locked,
        previous=work.previous,
    )


def _save(
    sessions: sessionmaker[Session],
    job_id: int,
    worker_id: str,
    work: SolveWork,
    solved: SolvedRoster,
    monitor: JobMonitor,
    started: float,
) -> None:
    """Store the draft and mark the job succeeded together: a job reaped meanwhile
    (its worker looked dead) keeps its failed state and no draft appears."""
    saving = time.monotonic()
    with unit_of_work(sessions) as session:
        creator = session.get(m.User, work.created_by_id) if work.created_by_id else None
        parent = (
            session.get(m.RosterVersion, work.base_version_id) if work.base_version_id else None
        )
        version = save_roster(
            session,
            work.period_id,
            solved.roster,
            solved.gaps,
            created_by=creator,
            parent=parent,
            locked={(a.agent_id, a.date) for a in work.locked},
            data_hash=work.data_hash,
            history_version_id=work.history_version_id,
        )
        session.flush()
        monitor.note(
            f"saved draft version {version.number} (id {version.id}) "
            f"in {time.monotonic() - saving:.1f} s"
        )
        if not _finish(
            session,
            job_id,
            worker_id,
            "succeeded",
            monitor=monitor,
            started=started,
            version_id=version.id,
            final={
                "shortfall": solved.roster.summary["shortfall"],
                "bound": solved.roster.summary["bound"],
                "phase": "done",
            },
        ):
            raise JobLostError(f"job {job_id} is no longer running on {worker_id}")
        repository.record_audit(
            session,
            creator,
            "roster.solved",
            "roster_version",
            version.id,
            {
                "job_id": job_id,
                "shortfall": solved.roster.summary["shortfall"],
                "changes": solved.roster.summary.get("changes"),
            },
        )


def _end(
    sessions: sessionmaker[Session],
    job_id: int,
    worker_id: str,
    state: str,
    monitor: JobMonitor,
    started: float,
    error: str | None,
) -> None:
    with unit_of_work(sessions) as session:
        _finish(session, job_id, worker_id, state, monitor=monitor, started=started, error=error)


def _finish(
    session: Session,
    job_id: int,
    worker_id: str | None,
    state: str,
    claimed: bool = True,
    monitor: JobMonitor | None = None,
    started: float | None = None,
    error: str | None = None,
    version_id: int | None = None,
    final: dict | None = None,
) -> bool:
    """Move the job to a final state if it is still this worker's; True if it was.
    ``final`` overwrites progress columns with the roster's own figures."""
    final = final or {}
    conditions = [m.SolveJob.id == job_id]
    if claimed:
        conditions += [m.SolveJob.state == "running", m.SolveJob.worker_id == worker_id]
    else:
        conditions.append(m.SolveJob.state == "queued")
    values: dict = {"state": state, "finished_at": m.utc_now(), "error": error, **final}
    if monitor is not None:
        values["log"] = monitor.log_text
    if started is not None:
        values["elapsed_seconds"] = round(time.monotonic() - started, 2)
    if version_id is not None:
        values["roster_version_id"] = version_id
    done = session.execute(
        update(m.SolveJob)
        .where(*conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return done.rowcount == 1
