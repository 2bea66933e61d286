"""The shared mail interface: queue_mail, notify_agent, notify_planners write outbox rows
in the caller's transaction, to the right people, and refuse bad input whole."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.services.errors import InvalidInput
from scheduler.services.notifications import notify_agent, notify_planners, queue_mail
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from scheduler.storage.models_outbox import OutboxMessage


def _outbox(sessions: sessionmaker[Session]) -> list[OutboxMessage]:
    with unit_of_work(sessions) as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_message_exists_only_when_its_transaction_commits(sessions) -> None:
    with unit_of_work(sessions) as session:
        queue_mail(session, to_address="kept@example.com", subject="Kept", body="b", kind="t")
    with pytest.raises(RuntimeError), unit_of_work(sessions) as session:
        queue_mail(session, to_address="gone@example.com", subject="Gone", body="b", kind="t")
        raise RuntimeError("the change failed")
    rows = _outbox(sessions)
    assert [(r.to_address, r.state, r.attempts) for r in rows] == [
        ("kept@example.com", "queued", 0)
    ]


def test_queue_mail_to_a_user_takes_his_address(sessions) -> None:
    with unit_of_work(sessions) as session:
        user = repository.add_user(session, "ann", "planner", email="ann@example.com")
        session.flush()
        queue_mail(session, to_user_id=user.id, subject="Hi", body="x", kind="t", link="/me")
    (row,) = _outbox(sessions)
    assert (row.to_address, row.to_user_id, row.link) == ("ann@example.com", user.id, "/me")


def test_bad_input_is_refused_whole_with_every_field_named(sessions) -> None:
    with pytest.raises(InvalidInput) as refused, unit_of_work(sessions) as session:
        queue_mail(session, to_address="nobody", subject="", body="x" * 70_000, kind="t")
    assert {e["field"] for e in refused.value.errors} == {"to_address", "subject", "body"}
    assert _outbox(sessions) == []


def test_a_subject_never_carries_a_line_break_into_the_headers(sessions) -> None:
    with unit_of_work(sessions) as session:
        queue_mail(
            session, to_address="a@example.com", subject="Hi\r\nBcc: x@evil", body="", kind="t"
        )
    assert _outbox(sessions)[0].subject == "Hi Bcc: x@evil"


def test_notify_agent_mails_his_linked_users_only(sessions, period_id: int) -> None:
    with unit_of_work(sessions) as session:
        agent = session.scalar(select(m.Agent).where(m.Agent.period_id == period_id).limit(1))
        agent.email = "Agent.One@Example.com"
        other = repository.add_user(session, "other", "agent", agent_code="ZZZ", email="o@e.com")
        linked = repository.add_user(
            session, "one", "agent", agent_code=agent.code, email="agent.one@example.com"
        )
        stranger = repository.add_user(  # same code, another team's file: another e-mail
            session, "two", "agent", agent_code=agent.code, email="someone.else@example.com"
        )
        session.flush()
        notify_agent(session, agent.id, subject="Your shifts", body="b", kind="roster.changed")
        ids = (linked.id, other.id, stranger.id)
    rows = _outbox(sessions)
    assert [(r.to_user_id, r.to_address) for r in rows] == [(ids[0], "agent.one@example.com")]


def test_notify_planners_mails_planners_and_admins_with_an_address(sessions) -> None:
    with unit_of_work(sessions) as session:
        repository.add_user(session, "p1", "planner", email="p1@example.com")
        repository.add_user(session, "p2", "planner")
        repository.add_user(session, "boss", "admin", email="boss@example.com")
        repository.add_user(session, "h", "hr", email="hr@example.com")
        gone = repository.add_user(session, "p3", "planner", email="p3@example.com")
        gone.active = False
        session.flush()
        notify_planners(session, subject="Digest", body="3 pending", kind="digest")
    assert sorted(r.to_address for r in _outbox(sessions)) == [
        "boss@example.com",
        "p1@example.com",
    ]
