"""Sign-ins: one for every agent of a period at once (a support organisation of a
thousand agents cannot create them one by one), and managing them: list, deactivate,
reset a password, end sessions, issue and revoke API tokens. Every change is audited."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.services.common import user_or_none
from scheduler.services.errors import Forbidden, InvalidInput, NotFound
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from scheduler.storage.passwords import hash_password

PASSWORD_BYTES = 12
MAX_TOKEN_DAYS = 3650


@dataclass(frozen=True)
class NewAccount:
    user_name: str
    agent_code: str
    agent_name: str
    password: str
    """Shown once, to hand to the agent; only its hash is stored."""


def create_agent_accounts(
    sessions: sessionmaker[Session],
    period_id: int,
    user_id: int | None,
    before_commit: Callable[[list[NewAccount]], None] | None = None,
) -> list[NewAccount]:
    """An agent user (random password) for each active agent of the period who has none.

    The user name is the agent's e-mail when agents.csv gives one, else the agent id
    in lower case; the e-mail is kept on the user, so he only ever sees agents of his
    code with that e-mail. Agents who already have a user keep it (run it again after
    a re-import brings new hires).

    ``before_commit`` gets the new accounts with their passwords before they are
    committed: if it raises (the password file could not be written), none is made."""
    with unit_of_work(sessions) as session:
        if session.get(m.PlanningPeriod, period_id) is None:
            raise NotFound(f"no planning period with id {period_id}")
        linked = set(session.scalars(select(m.User.agent_code).where(m.User.role == "agent")))
        taken = set(session.scalars(select(m.User.name)))
        agents = session.scalars(
            select(m.Agent).filter_by(period_id=period_id, active=True).order_by(m.Agent.position)
        )
        created = []
        for agent in agents:
            if agent.code in linked:
                continue
            name = (agent.email or agent.code).strip().lower()
            if name in taken:
                name = agent.code.lower()
            if name in taken:
                continue  # a user of another role holds the name: create this one by hand
            password = secrets.token_urlsafe(PASSWORD_BYTES)
            repository.add_user(
                session,
                name,
                "agent",
                password=password,
                agent_code=agent.code,
                email=agent.email or None,
            )
            taken.add(name)
            created.append(NewAccount(name, agent.code, agent.name, password))
        repository.record_audit(
            session,
            user_or_none(session, user_id),
            "users.create_agents",
            "planning_period",
            period_id,
            {"created": len(created)},
        )
        if before_commit is not None:
            before_commit(created)
        return created


# --- managing sign-ins: list, deactivate, reset a password, API tokens ------------------------


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    role: str
    active: bool
    agent_code: str | None
    email: str | None
    has_password: bool
    token: str
    """``none``, ``active``, ``expired`` or ``expires <instant>``."""
    has_calendar_link: bool
    sessions: int
    created_at: datetime
    deactivated_at: datetime | None


def list_users(sessions: sessionmaker[Session]) -> list[UserRow]:
    """Every user with what he can sign in with, by name."""
    now = m.utc_now()
    with unit_of_work(sessions) as session:
        counts = dict(
            session.execute(
                select(m.UserSession.user_id, func.count()).group_by(m.UserSession.user_id)
            ).all()
        )
        return [
            UserRow(
                id=user.id,
                name=user.name,
                role=user.role,
                active=user.active,
                agent_code=user.agent_code,
                email=user.email,
                has_password=user.password_hash is not None,
                token=_token_state(user, now),
                has_calendar_link=user.ical_token_hash is not None,
                sessions=counts.get(user.id, 0),
                created_at=user.created_at,
                deactivated_at=user.deactivated_at,
            )
            for user in session.scalars(select(m.User).order_by(m.User.name))
        ]


def _token_state(user: m.User, now: datetime) -> str:
    if user.api_token_hash is None:
        return "none"
    if user.api_token_expires_at is None:
        return "active"
    if user.api_token_expires_at <= now:
        return "expired"
    return f"expires {user.api_token_expires_at.isoformat(timespec='minutes')}"


def deactivate_user(sessions: sessionmaker[Session], name: str, by_user_id: int | None) -> UserRow:
    """Stop everything the user signs in with, at once: his sessions end, his API token
    and calendar link are revoked (a later re-activation needs new ones)."""
    with unit_of_work(sessions) as session:
        user = _user_named(session, name)
        if by_user_id is not None and user.id == by_user_id:
            raise Forbidden("you cannot deactivate yourself: ask another admin")
        user.active = False
        user.deactivated_at = m.utc_now()
        user.api_token_hash = None
        user.api_token_expires_at = None
        user.ical_token_hash = None
        ended = repository.end_all_sessions(session, user.id)
        repository.record_audit(
            session,
            user_or_none(session, by_user_id),
            "user.deactivate",
            "user",
            user.id,
            {"name": user.name, "sessions_ended": ended},
        )
    return _row(sessions, name)


def activate_user(sessions: sessionmaker[Session], name: str, by_user_id: int | None) -> UserRow:
    """Let a deactivated user sign in again (with a new password or token)."""
    with unit_of_work(sessions) as session:
        user = _user_named(session, name)
        user.active = True
        user.deactivated_at = None
        repository.record_audit(
            session, user_or_none(session, by_user_id), "user.activate", "user", user.id
        )
    return _row(sessions, name)


def reset_password(
    sessions: sessionmaker[Session],
    name: str,
    by_user_id: int | None,
    password: str | None = None,
) -> str:
    """Set a new password (a random one when None) and end every session of the user;
    returns the password, to hand over once."""
    password = password or secrets.token_urlsafe(PASSWORD_BYTES)
    with unit_of_work(sessions) as session:
        user = _user_named(session, name)
        user.password_hash = hash_password(password)
        ended = repository.end_all_sessions(session, user.id)
        repository.record_audit(
            session,
            user_or_none(session, by_user_id),
            "user.reset_password",
            "user",
            user.id,
            {"sessions_ended": ended},
        )
    return password


def end_sessions(sessions: sessionmaker[Session], name: str, by_user_id: int | None) -> int:
    """Sign the user out on every browser; returns how many sessions ended."""
    with unit_of_work(sessions) as session:
        user = _user_named(session, name)
        ended = repository.end_all_sessions(session, user.id)
        repository.record_audit(
            session,
            user_or_none(session, by_user_id),
            "user.end_sessions",
            "user",
            user.id,
            {"sessions_ended": ended},
        )
    return ended


def create_token(
    sessions: sessionmaker[Session],
    name: str,
    by_user_id: int | None,
    expires_in_days: float | None = None,
) -> tuple[str, datetime | None]:
    """A new API token for the user (his old one stops working); returns the token,
    shown once, and when it expires (None: never, until revoked)."""
    if expires_in_days is not None and not 0 < expires_in_days <= MAX_TOKEN_DAYS:
        raise InvalidInput(
            "token expiry refused",
            [
                {
                    "field": "expires_in_days",
                    "value": str(expires_in_days),
                    "expected": f"days > 0 and at most {MAX_TOKEN_DAYS}",
                    "message": f"expires_in_days must be > 0 and at most {MAX_TOKEN_DAYS}",
                }
            ],
        )
    expires_at = (
        m.utc_now() + timedelta(days=expires_in_days) if expires_in_days is not None else None
    )
    with unit_of_work(sessions) as session:
        user = _user_named(session, name)
        if not user.active:
            raise Forbidden(f"user {name!r} is deactivated: activate him first")
        token = repository.issue_api_token(user, expires_at)
        repository.record_audit(
            session,
            user_or_none(session, by_user_id),
            "api_token.issue",
            "user",
            user.id,
            {"expires_at": expires_at.isoformat() if expires_at else None},
        )
    return token, expires_at


def revoke_token(sessions: sessionmaker[Session], name: str, by_user_id: int | None) -> bool:
    """Revoke the user's API token; False if he had none."""
    with unit_of_work(sessions) as session:
        user = _user_named(session, name)
        had = user.api_token_hash is not None
        user.api_token_hash = None
        user.api_token_expires_at = None
        repository.record_audit(
            session, user_or_none(session, by_user_id), "api_token.revoke", "user", user.id
        )
    return had


def _user_named(session: Session, name: str) -> m.User:
    user = session.scalar(select(m.User).filter_by(name=name))
    if user is None:
        raise NotFound(f"no user named {name!r}")
    return user


def _row(sessions: sessionmaker[Session], name: str) -> UserRow:
    return next(row for row in list_users(sessions) if row.name == name)
