"""The service's limits and job-watch timings, each from an environment variable read
when asked (so a test or an operator changes one without a restart of the module).

docs/operations.md lists them all with their defaults; ``describe()`` prints them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as bad:
        raise ValueError(f"{name}={raw!r} is not a number") from bad
    if value < 0:
        raise ValueError(f"{name}={raw!r} must not be negative")
    return value


def _text(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


@dataclass(frozen=True)
class Limits:
    max_solve_seconds: float
    """SUNSHIFT_MAX_SOLVE_SECONDS: the longest time limit a solve may ask for."""
    max_solve_workers: int
    """SUNSHIFT_MAX_SOLVE_WORKERS: solver threads a job may ask for (default: this
    machine's cores); a worker also never runs more threads than its own cores."""
    max_active_jobs_per_user: int
    """SUNSHIFT_MAX_ACTIVE_JOBS_PER_USER: queued + running solves of one user."""
    max_active_jobs_per_period: int
    """SUNSHIFT_MAX_ACTIVE_JOBS_PER_PERIOD: queued + running solves of one planning period."""
    max_active_jobs: int
    """SUNSHIFT_MAX_ACTIVE_JOBS: queued + running solves of everyone together."""
    solve_rate: str
    """SUNSHIFT_SOLVE_RATE: solves one user may start (Flask-Limiter syntax)."""
    upload_rate: str
    """SUNSHIFT_UPLOAD_RATE: scenario uploads (imports) of one user."""
    export_rate: str
    """SUNSHIFT_EXPORT_RATE: HR downloads (XLSX, CSV) and calendar downloads of one user."""
    job_watch_seconds: float
    """SUNSHIFT_JOB_WATCH_SECONDS: how often the server looks for lost and stuck jobs."""
    heartbeat_timeout_seconds: float
    """SUNSHIFT_HEARTBEAT_TIMEOUT_SECONDS: silence after which a running job's worker is lost."""
    requeue_seconds: float
    """SUNSHIFT_REQUEUE_SECONDS: a job still queued this long after it was handed to the
    job queue is handed again (a lost message); one never handed over is retried at once."""


def limits() -> Limits:
    return Limits(
        max_solve_seconds=_number("SUNSHIFT_MAX_SOLVE_SECONDS", 2 * 3600),
        max_solve_workers=int(_number("SUNSHIFT_MAX_SOLVE_WORKERS", os.cpu_count() or 1)),
        max_active_jobs_per_user=int(_number("SUNSHIFT_MAX_ACTIVE_JOBS_PER_USER", 2)),
        max_active_jobs_per_period=int(_number("SUNSHIFT_MAX_ACTIVE_JOBS_PER_PERIOD", 2)),
        max_active_jobs=int(_number("SUNSHIFT_MAX_ACTIVE_JOBS", 20)),
        solve_rate=_text("SUNSHIFT_SOLVE_RATE", "30 per hour"),
        upload_rate=_text("SUNSHIFT_UPLOAD_RATE", "30 per hour"),
        export_rate=_text("SUNSHIFT_EXPORT_RATE", "120 per hour"),
        job_watch_seconds=_number("SUNSHIFT_JOB_WATCH_SECONDS", 10),
        heartbeat_timeout_seconds=_number("SUNSHIFT_HEARTBEAT_TIMEOUT_SECONDS", 30),
        requeue_seconds=_number("SUNSHIFT_REQUEUE_SECONDS", 600),
    )


def describe() -> list[str]:
    """``name = value`` lines of the limits in force."""
    current = limits()
    return [f"{field.name} = {getattr(current, field.name)}" for field in fields(current)]
