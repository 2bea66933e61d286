"""Small pieces every service shares: users, JSON views of rows, error shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from scheduler.checker import Violation
from scheduler.imports import InputError
from scheduler.imports.errors import show_value
from scheduler.services.errors import NotFound
from scheduler.storage import models as m


def user_or_none(session: Session, user_id: int | None) -> m.User | None:
    """The acting user (None for system actions such as the CLI without a user)."""
    if user_id is None:
        return None
    user = session.get(m.User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    return user


def iso(instant: datetime | None) -> str | None:
    return instant.isoformat() if instant is not None else None


def input_error_dict(error: InputError) -> dict[str, Any]:
    """An ``InputError`` as the JSON shape the API returns."""
    return {
        "file": error.file,
        "line": error.line,
        "field": error.field,
        "value": None if error.value is None else show_value(error.value),
        "expected": error.expected,
        "message": str(error),
    }


def violation_dict(violation: Violation, file: str = "roster") -> dict[str, Any]:
    """A checker ``Violation`` in the shape of an input error (the rule is the field),
    plus its parts as structured fields (``rule``, ``agent_id``, ``date``, ``detail``)
    so pages word it without re-parsing ``message``."""
    return {
        "file": file,
        "line": None,
        "field": violation.rule,
        "value": " ".join(
            part
            for part in (violation.agent_id, violation.date and violation.date.isoformat())
            if part
        )
        or None,
        "expected": "a roster that keeps every hard rule",
        "message": str(violation),
        "rule": violation.rule,
        "agent_id": violation.agent_id,
        "date": violation.date.isoformat() if violation.date else None,
        "detail": violation.message,
    }


def version_fields(version: m.RosterVersion) -> dict[str, Any]:
    """A roster version as a record (instants as aware datetimes): the one serializer
    of versions; ``version_view`` and the API's ``version_dict`` are built from it.
    ``version`` is the optimistic-lock counter to send back as ``expected_version_id``."""
    return {
        "id": version.id,
        "period_id": version.period_id,
        "number": version.number,
        "state": version.state,
        "version": version.version_id,
        "parent_id": version.parent_id,
        "created_at": version.created_at,
        "created_by_id": version.created_by_id,
        "published_at": version.published_at,
        "published_by_id": version.published_by_id,
        "history_version_id": version.history_version_id,
    }


def job_fields(job: m.SolveJob) -> dict[str, Any]:
    """A solve job as a record (instants as aware datetimes): the one serializer of
    jobs; ``job_view`` and the API's ``job_dict`` are built from it."""
    options = job.options or {}
    return {
        "id": job.id,
        "period_id": job.period_id,
        "state": job.state,
        "options": {key: options.get(key) for key in ("time_limit_seconds", "seed", "workers")},
        "base_version_id": job.base_version_id,
        "created_by_id": job.created_by_id,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "heartbeat_at": job.heartbeat_at,
        "worker_id": job.worker_id,
        "progress": {
            "elapsed_seconds": job.elapsed_seconds,
            "shortfall": job.shortfall,
            "objective": job.objective,
            "bound": job.bound,
            "phase": job.phase,
        },
        "log": job.log,
        "error": job.error,
        "roster_version_id": job.roster_version_id,
        "cancel_requested": job.cancel_requested,
        "note": job_note(job),
    }


def job_note(job: m.SolveJob) -> str | None:
    """Where a job that is not finished stands, in words (None once it finished)."""
    if job.state == "queued":
        if job.dispatched_at is None:
            return (
                "waiting for the job queue, which did not answer: the job is handed over "
                "as soon as it answers"
            )
        return f"waiting for a worker since {job.dispatched_at.isoformat(timespec='seconds')}"
    if job.state == "running":
        beat = job.heartbeat_at.isoformat(timespec="seconds") if job.heartbeat_at else "none yet"
        return f"running on {job.worker_id}; last heartbeat {beat}"
    return None


def json_ready(record: dict[str, Any]) -> dict[str, Any]:
    """A record with its instants as ISO 8601 text (services' answers, 409 ``current``)."""
    return {
        key: iso(value) if isinstance(value, datetime) else value for key, value in record.items()
    }


def version_view(version: m.RosterVersion) -> dict[str, Any]:
    """``version_fields`` JSON-ready."""
    return json_ready(version_fields(version))


def job_view(job: m.SolveJob) -> dict[str, Any]:
    """``job_fields`` JSON-ready."""
    return json_ready(job_fields(job))
