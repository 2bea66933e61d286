"""The audit trail of a period, readable: who imported, solved, edited, published,
reverted and recorded absences, and when, optionally for one agent only.

Entries are stored by ``repository.record_audit`` with a target (the period, a
roster version, a solve job or an agent code) and details; this gathers those of
one period, newest first, and says each in words. Read-only, in the caller's session.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, and_, cast, or_, select
from sqlalchemy.orm import Session

from scheduler.services.errors import NotFound
from scheduler.storage import models as m

LIMIT = 1000
"""Entries returned at most (newest first)."""

WORDS = {
    "period.import": "imported the period",
    "period.reimport": "re-imported the period's files",
    "solve.start": "started a solve",
    "solve.cancel": "cancelled a solve",
    "roster.solved": "a solve saved a draft",
    "roster.copy": "copied the published roster into a draft",
    "roster.lock": "locked a shift",
    "roster.unlock": "unlocked a shift",
    "roster.add_shift": "added a shift",
    "roster.remove_shift": "removed a shift",
    "roster.publish": "published",
    "roster.revert": "reverted to an earlier version",
    "time_off.record": "recorded time off",
    "users.create_agents": "created agent sign-ins",
    "time_off_request.create": "asked for time off",
    "time_off_request.withdraw": "withdrew a time-off request",
    "time_off_request.approve": "approved a time-off request",
    "time_off_request.decline": "declined a time-off request",
}


def period_audit(
    session: Session, period_id: int, agent_id: str | None = None, limit: int = LIMIT
) -> list[dict[str, Any]]:
    """The period's audit entries, newest first; with ``agent_id`` only those about
    that agent (his shifts' edits and his recorded time off)."""
    if session.get(m.PlanningPeriod, period_id) is None:
        raise NotFound(f"no planning period with id {period_id}")
    versions = select(cast(m.RosterVersion.id, String)).filter_by(period_id=period_id)
    jobs = select(cast(m.SolveJob.id, String)).filter_by(period_id=period_id)
    as_text = m.AuditEntry.target_id
    query = (
        select(m.AuditEntry, m.User.name)
        .outerjoin(m.User, m.AuditEntry.user_id == m.User.id)
        .where(
            or_(
                and_(m.AuditEntry.target_type == "planning_period", as_text == str(period_id)),
                and_(
                    m.AuditEntry.target_type == "roster_version",
                    as_text.in_(versions),
                ),
                and_(m.AuditEntry.target_type == "solve_job", as_text.in_(jobs)),
                m.AuditEntry.target_type.in_(("agent", "time_off_request")),
            )
        )
        .order_by(m.AuditEntry.at.desc(), m.AuditEntry.id.desc())
    )
    found = []
    for entry, user_name in session.execute(query):
        if entry.target_type == "agent" and entry.details.get("period_id") != period_id:
            continue
        if entry.target_type == "time_off_request" and period_id not in entry.details.get(
            "period_ids", ()
        ):
            continue
        if agent_id is not None and not _about(entry, agent_id):
            continue
        found.append(entry_dict(entry, user_name))
        if len(found) >= limit:
            break
    return found


def _about(entry: m.AuditEntry, agent_id: str) -> bool:
    if entry.target_type == "agent":
        return entry.target_id == agent_id
    if entry.target_type == "time_off_request":
        return entry.details.get("agent_code") == agent_id
    shift = entry.details.get("assignment")
    return isinstance(shift, str) and shift.split(" ", 1)[0] == agent_id


def entry_dict(entry: m.AuditEntry, user_name: str | None) -> dict[str, Any]:
    details = dict(entry.details or {})
    return {
        "id": entry.id,
        "at": entry.at,
        "user": user_name,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "agent_id": _agent_of(entry),
        "details": details,
        "text": _words(entry, details),
    }


def _agent_of(entry: m.AuditEntry) -> str | None:
    if entry.target_type == "agent":
        return entry.target_id
    if entry.target_type == "time_off_request":
        return entry.details.get("agent_code")
    shift = entry.details.get("assignment")
    return shift.split(" ", 1)[0] if isinstance(shift, str) else None


def _words(entry: m.AuditEntry, details: dict[str, Any]) -> str:
    what = WORDS.get(entry.action, entry.action)
    parts = [what]
    if entry.target_type == "roster_version":
        parts.append(f"version {entry.target_id}")
    if "assignment" in details:
        parts.append(str(details["assignment"]))
    if entry.action == "time_off.record":
        parts.append(
            f"{entry.target_id} {details.get('start_date')}..{details.get('end_date')} "
            f"{details.get('reason', '')}".rstrip()
        )
    if entry.target_type == "time_off_request":
        parts.append(
            f"{entry.target_id} of {details.get('agent_code')} "
            f"{details.get('start_date')}..{details.get('end_date')}"
        )
        if details.get("decision_reason"):
            parts.append(f"({details['decision_reason']})")
    if details.get("superseded_id"):
        parts.append(f"(replacing version {details['superseded_id']})")
    if details.get("reverted_from"):
        parts.append(f"(the shifts of version {details['reverted_from']})")
    if details.get("copied_from"):
        parts.append(f"(copied from version {details['copied_from']})")
    return " ".join(parts)
