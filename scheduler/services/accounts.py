"""Sign-ins for every agent of a period at once: a support organisation of a thousand
agents cannot create them one by one."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.services.common import user_or_none
from scheduler.services.errors import NotFound
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work

PASSWORD_BYTES = 12


@dataclass(frozen=True)
class NewAccount:
    user_name: str
    agent_code: str
    agent_name: str
    password: str
    """Shown once, to hand to the agent; only its hash is stored."""


def create_agent_accounts(
    sessions: sessionmaker[Session], period_id: int, user_id: int | None
) -> list[NewAccount]:
    """An agent user (random password) for each active agent of the period who has none.

    The user name is the agent's e-mail when agents.csv gives one, else the agent id
    in lower case; the e-mail is kept on the user, so he only ever sees agents of his
    code with that e-mail. Agents who already have a user keep it (run it again after
    a re-import brings new hires)."""
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
        return created
