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
    """A checker ``Violation`` in the shape of an input error: the rule is the field."""
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
    }


def version_view(version: m.RosterVersion) -> dict[str, Any]:
    """What a client needs to show a roster version and to change it safely later
    (``version`` is the optimistic-lock counter to send back as ``expected_version_id``)."""
    return {
        "id": version.id,
        "period_id": version.period_id,
        "number": version.number,
        "state": version.state,
        "version": version.version_id,
        "parent_id": version.parent_id,
        "created_at": iso(version.created_at),
        "created_by_id": version.created_by_id,
        "published_at": iso(version.published_at),
        "published_by_id": version.published_by_id,
    }


def job_view(job: m.SolveJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "period_id": job.period_id,
        "state": job.state,
        "options": dict(job.options),
        "base_version_id": job.base_version_id,
        "created_by_id": job.created_by_id,
        "created_at": iso(job.created_at),
        "started_at": iso(job.started_at),
        "finished_at": iso(job.finished_at),
        "heartbeat_at": iso(job.heartbeat_at),
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
    }
