"""Publishing mails each agent whose shifts changed what changed, in his local time,
through a real SMTP server (aiosmtpd); a publish that loses or fails sends nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from scheduler.mail.sender import send_due
from scheduler.services import Conflict, publish, remove_assignment
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from scheduler.storage.models_outbox import OutboxMessage
from tests.services.helpers import at_once, version_counter
from tests.services.smtp_sink import SmtpSink

DUBLIN, BERLIN = "A0000", "A0001"


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def readers(sessions, period_id: int) -> dict[str, str]:
    """Agent users with e-mails for A0000 (Dublin) and A0001 (Berlin); A0002 has a user
    without an e-mail."""
    addresses = {DUBLIN: "dub.agent@example.com", BERLIN: "ber.agent@example.com"}
    with unit_of_work(sessions) as session:
        for code, address in addresses.items():
            agent = session.scalar(select(m.Agent).filter_by(period_id=period_id, code=code))
            agent.email = address
            repository.add_user(session, code.lower(), "agent", agent_code=code, email=address)
        repository.add_user(session, "a0002", "agent", agent_code="A0002")
    return addresses


def _shift_row(sessions, version_id: int, code: str, day: date) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(
            select(m.Assignment.id)
            .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
            .where(
                m.Assignment.roster_version_id == version_id,
                m.Agent.code == code,
                m.Assignment.local_date == day,
            )
        )


def _publish(sessions, version_id: int, planner_id: int) -> dict:
    return publish(sessions, version_id, planner_id, version_counter(sessions, version_id))


def _outbox(sessions) -> list[OutboxMessage]:
    with unit_of_work(sessions) as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_publish_mails_what_changed_in_local_time(
    sessions, baseline_draft_id, planner_id, readers, sink, monkeypatch
) -> None:
    monkeypatch.setenv("SUNSHIFT_PUBLIC_URL", "http://127.0.0.1:5000")
    _publish(sessions, baseline_draft_id, planner_id)
    send_due(sessions, sink.settings(), "test")
    first = {mail["To"]: mail for mail in sink.messages}
    assert set(first) == set(readers.values())  # A0002's user has no address
    dublin = first[readers[DUBLIN]].get_content()
    assert first[readers[DUBLIN]]["Subject"] == "Your shifts in June 2027 are published"
    assert "Tue 8 Jun 2027 07:00–16:00 (UTC+01:00)  s0" in dublin  # 06:00Z in Dublin summer
    assert "Mon 7 Jun 2027 08:00–16:00 (UTC+02:00)  s1" in first[readers[BERLIN]].get_content()
    assert "http://127.0.0.1:5000/me" in dublin

    edit = remove_assignment(
        sessions, _shift_row(sessions, baseline_draft_id, DUBLIN, date(2027, 6, 8)), planner_id
    )
    _publish(sessions, edit.version_id, planner_id)
    send_due(sessions, sink.settings(), "test")

    second = sink.messages[len(first) :]
    assert [mail["To"] for mail in second] == [readers[DUBLIN]]  # Berlin's shifts are the same
    assert second[0]["Subject"] == "Your shifts in June 2027 changed"
    body = second[0].get_content()
    assert "removed:  Tue 8 Jun 2027 07:00–16:00 (UTC+01:00)  s0 (no longer yours)" in body
    assert f"version {edit.version_id} replaces version {baseline_draft_id}" in body
    assert body.count("(UTC+01:00)") == 1  # only the change, not his other shifts


def test_a_publish_that_loses_the_race_sends_nothing(
    sessions, baseline_draft_id, planner_id, readers, sink
) -> None:
    _publish(sessions, baseline_draft_id, planner_id)
    send_due(sessions, sink.settings(), "test")
    before = len(sink.messages)
    drafts = {
        code: remove_assignment(
            sessions, _shift_row(sessions, baseline_draft_id, code, date(2027, 6, 8)), planner_id
        ).version_id
        for code in (DUBLIN, BERLIN)
    }
    outcomes = at_once(
        [
            lambda v=version_id: publish(
                sessions, v, planner_id, version_counter(sessions, v), baseline_draft_id
            )
            for version_id in drafts.values()
        ]
    )
    won = [
        code for code, outcome in zip(drafts, outcomes, strict=True) if isinstance(outcome, dict)
    ]
    assert len(won) == 1 and sum(isinstance(o, Conflict) for o in outcomes) == 1
    send_due(sessions, sink.settings(), "test")
    assert [mail["To"] for mail in sink.messages[before:]] == [readers[won[0]]]
    assert len(_outbox(sessions)) == before + 1
