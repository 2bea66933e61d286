"""Queries and additions the API, workers and pages share. Nothing here commits:
the caller's unit of work owns the transaction.

Tokens are random (``secrets.token_urlsafe``) and stored only as their sha256, so
a stolen database yields no usable token; passwords use werkzeug's salted hash.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from scheduler.storage import models as m
from scheduler.storage.passwords import check_password, hash_password, needs_rehash

# --- periods and versions ------------------------------------------------------------------


def list_periods(session: Session) -> list[m.PlanningPeriod]:
    return list(session.scalars(select(m.PlanningPeriod).order_by(m.PlanningPeriod.id)))


def period_by_name(session: Session, name: str) -> m.PlanningPeriod | None:
    return session.scalar(select(m.PlanningPeriod).filter_by(name=name))


def roster_versions(session: Session, period_id: int) -> list[m.RosterVersion]:
    """A period's versions, newest first."""
    query = (
        select(m.RosterVersion)
        .filter_by(period_id=period_id)
        .order_by(m.RosterVersion.number.desc())
    )
    return list(session.scalars(query))


def published_version(session: Session, period_id: int) -> m.RosterVersion | None:
    return session.scalar(select(m.RosterVersion).filter_by(period_id=period_id, state="published"))


def claim_published_days(session: Session, period: m.PlanningPeriod, version_id: int) -> int:
    """Claim every (active agent code, horizon date) of the period for ``version_id``,
    replacing the period's previous claims; returns how many rows were written.

    Another period's published roster holding one of these days for the same agent
    makes the INSERT fail (``IntegrityError``) on every backend: the database itself
    refuses double rostering, whichever of two concurrent publishes commits first."""
    session.execute(delete(m.PublishedDay).where(m.PublishedDay.period_id == period.id))
    codes = session.scalars(
        select(m.Agent.code).filter_by(period_id=period.id, active=True).order_by(m.Agent.code)
    ).all()
    days = [period.horizon_start + timedelta(days=n) for n in range(period.horizon_days)]
    rows = [
        {"agent_code": code, "day": day, "period_id": period.id, "roster_version_id": version_id}
        for code in codes
        for day in days
    ]
    for start in range(0, len(rows), 10_000):
        session.execute(insert(m.PublishedDay), rows[start : start + 10_000])
    return len(rows)


# --- users and tokens ----------------------------------------------------------------------


def hash_token(token: str) -> str:
    """sha256 hex of a token: tokens are long and random, so no salt or stretching is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh token to show the user once, and the hash to store."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def add_user(
    session: Session,
    name: str,
    role: str,
    password: str | None = None,
    agent_code: str | None = None,
    email: str | None = None,
) -> m.User:
    user = m.User(
        name=name,
        role=role,
        password_hash=hash_password(password) if password else None,
        agent_code=agent_code,
        email=email.strip().lower() if email else None,
    )
    session.add(user)
    return user


def is_the_users_agent(user: m.User) -> ColumnElement[bool]:
    """Which agent rows (of any period) are this user: his code and, when the user has
    an e-mail, the same e-mail in agents.csv."""
    same_code = m.Agent.code == (user.agent_code or "")
    if not user.email:
        return same_code
    return and_(same_code, func.lower(m.Agent.email) == user.email)


def password_matches(user: m.User, password: str) -> bool:
    return bool(user.password_hash) and check_password(user.password_hash, password)


def user_by_password(session: Session, name: str, password: str) -> m.User | None:
    """The active user ``name`` if ``password`` is his, else None, after the same work
    either way: an unknown name (or a user without a password) is checked against a
    dummy hash, so the time a sign-in takes does not tell which names exist."""
    user = session.scalar(select(m.User).filter_by(name=name))
    if user is None or not user.password_hash:
        check_password(_dummy_password_hash(), password)
        return None
    matches = check_password(user.password_hash, password)
    return user if matches and user.active else None


def renew_password_hash(user: m.User, password: str) -> None:
    """After a sign-in with the right ``password``: store it hashed the current way when
    it was hashed another way (an older method or cost)."""
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)


@cache
def _dummy_password_hash() -> str:
    """A hash made like every user's (same method and cost) of a password nobody knows."""
    return hash_password(secrets.token_urlsafe(32))


def issue_api_token(user: m.User, expires_at: datetime | None = None) -> str:
    """Replace the user's API token (valid until ``expires_at``, or until replaced or
    revoked when None); returns the new token (it is not stored)."""
    token, user.api_token_hash = new_token()
    user.api_token_expires_at = expires_at
    return token


def issue_ical_token(user: m.User) -> str:
    token, user.ical_token_hash = new_token()
    return token


def user_by_api_token(session: Session, token: str, now: datetime | None = None) -> m.User | None:
    """The active user holding ``token`` while it has not expired, or None."""
    now = now or m.utc_now()
    return session.scalar(
        select(m.User).where(
            m.User.api_token_hash == hash_token(token),
            m.User.active.is_(True),
            or_(m.User.api_token_expires_at.is_(None), m.User.api_token_expires_at > now),
        )
    )


def user_by_ical_token(session: Session, token: str) -> m.User | None:
    return session.scalar(select(m.User).filter_by(ical_token_hash=hash_token(token), active=True))


def open_user_session(session: Session, user: m.User) -> str:
    """A new signed-in session of ``user``; returns its id for the cookie (only its hash
    is stored)."""
    token, token_hash = new_token()
    session.add(m.UserSession(user_id=user.id, token_hash=token_hash))
    return token


def user_of_session(session: Session, user_id: int, token: str) -> m.User | None:
    """The active user whose session ``token`` still exists, or None (signed out,
    deactivated, password reset, or a cookie that was never ours)."""
    return session.scalar(
        select(m.User)
        .join(m.UserSession, m.UserSession.user_id == m.User.id)
        .where(
            m.User.id == user_id,
            m.User.active.is_(True),
            m.UserSession.token_hash == hash_token(token),
        )
    )


def end_user_session(session: Session, token: str) -> None:
    session.execute(delete(m.UserSession).where(m.UserSession.token_hash == hash_token(token)))


def end_all_sessions(session: Session, user_id: int) -> int:
    """Sign the user out everywhere; returns how many sessions ended."""
    ended = session.execute(delete(m.UserSession).where(m.UserSession.user_id == user_id))
    return ended.rowcount or 0


# --- audit ---------------------------------------------------------------------------------


def record_audit(
    session: Session,
    user: m.User | None,
    action: str,
    target_type: str,
    target_id: object,
    details: dict[str, Any] | None = None,
) -> m.AuditEntry:
    """Add an audit entry in the caller's transaction, so it exists iff the change does."""
    entry = m.AuditEntry(
        user_id=user.id if user else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        details=details or {},
    )
    session.add(entry)
    return entry


# --- solve jobs ----------------------------------------------------------------------------


def enqueue_solve_job(
    session: Session,
    period_id: int,
    options: dict[str, Any],
    created_by: m.User | None = None,
    base_version_id: int | None = None,
) -> m.SolveJob:
    job = m.SolveJob(
        period_id=period_id,
        options=options,
        created_by_id=created_by.id if created_by else None,
        base_version_id=base_version_id,
    )
    session.add(job)
    return job


def claim_solve_job(session: Session, job_id: int, worker_id: str, now: datetime) -> bool:
    """Take a queued job for ``worker_id``; False if another worker was first.

    A conditional UPDATE, so two workers racing for one job cannot both win on
    any backend; the caller commits right after.
    """
    claimed = session.execute(
        update(m.SolveJob)
        .where(m.SolveJob.id == job_id, m.SolveJob.state == "queued")
        .values(state="running", worker_id=worker_id, started_at=now, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def next_queued_job_id(session: Session) -> int | None:
    """The oldest queued job (claim it with ``claim_solve_job``)."""
    return session.scalar(
        select(m.SolveJob.id)
        .filter_by(state="queued", cancel_requested=False)
        .order_by(m.SolveJob.created_at, m.SolveJob.id)
        .limit(1)
    )
