"""The planners' daily digest: pending counts from every registered source, one mail
per planner with an e-mail, once a UTC day, none when nothing waits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from scheduler.mail.sender import send_due
from scheduler.services import digest
from scheduler.services.digest import Pending, queue_digest
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from tests.services.smtp_sink import SmtpSink

NOON = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


def drafts_waiting(session) -> list[Pending]:
    """A real source for the test: roster drafts per period, oldest first."""
    rows = session.execute(
        select(m.PlanningPeriod.name, func.count(), func.min(m.RosterVersion.created_at))
        .join(m.RosterVersion, m.RosterVersion.period_id == m.PlanningPeriod.id)
        .where(m.RosterVersion.state == "draft")
        .group_by(m.PlanningPeriod.name)
    )
    return [
        Pending("roster draft(s) waiting", n, name, "/periods", oldest) for name, n, oldest in rows
    ]


@pytest.fixture
def only_drafts(monkeypatch):
    monkeypatch.setattr(digest, "_sources", [drafts_waiting])


@pytest.fixture
def planners(sessions):
    with unit_of_work(sessions) as session:
        repository.add_user(session, "lead", "admin", email="lead@example.com")
        repository.add_user(session, "nomail", "planner")


def test_nothing_pending_sends_nothing(sessions, period_id, planners, only_drafts) -> None:
    assert queue_digest(sessions, NOON).reason == "nothing pending"


def test_the_digest_counts_what_waits_once_a_day(
    sessions, baseline_draft_id, planners, only_drafts, monkeypatch
) -> None:
    monkeypatch.setenv("SUNSHIFT_PUBLIC_URL", "https://shifts.example.com")
    first = queue_digest(sessions, NOON)
    assert (first.queued, first.reason) == (1, "queued")
    assert queue_digest(sessions, NOON + timedelta(hours=11)).reason == "already sent today"
    assert queue_digest(sessions, NOON + timedelta(hours=11), force=True).queued == 1
    assert queue_digest(sessions, NOON + timedelta(days=1)).queued == 1

    sink = SmtpSink().start()
    try:
        send_due(sessions, sink.settings(), "test")
    finally:
        sink.stop()
    assert sink.recipients == ["lead@example.com"] * 3
    mail = sink.messages[0]
    assert mail["Subject"] == "Sunshift: 1 request(s) wait for a planner"
    body = mail.get_content()
    assert "  1 roster draft(s) waiting in June 2027 (oldest since " in body
    assert "    https://shifts.example.com/periods\n" in body.replace("\r\n", "\n")


def test_a_feature_not_installed_yet_is_skipped(sessions, monkeypatch) -> None:
    monkeypatch.setattr(digest, "SOURCE_MODULES", ("scheduler.services.no_such_feature",))
    monkeypatch.setattr(digest, "_sources", [drafts_waiting])
    with unit_of_work(sessions) as session:
        assert digest.pending(session) == []


def test_mail_digest_command(tmp_path, monkeypatch, only_drafts) -> None:
    from scheduler.cli import main
    from scheduler.storage.migrate import upgrade_database

    url = f"sqlite:///{tmp_path / 'd.db'}"
    upgrade_database(url)
    monkeypatch.setenv("DATABASE_URL", url)
    answer = CliRunner().invoke(main, ["mail", "digest"])
    assert answer.exit_code == 0, answer.output
    assert "digest: nothing pending (0 mail(s) queued)" in answer.output


def test_the_digest_counts_swaps_waiting_for_a_planner(
    sessions, period_id, baseline_draft_id, planner_id, planners, monkeypatch
) -> None:
    from datetime import date

    from scheduler.services import publish
    from scheduler.services.digest_swaps import swaps_awaiting_planner
    from scheduler.services.swaps import answer_swap, offer_swap
    from tests.services.helpers import version_counter

    monkeypatch.setattr(digest, "_sources", [swaps_awaiting_planner])
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    with unit_of_work(sessions) as session:
        giver = repository.add_user(session, "a0000", "agent", agent_code="A0000")
        taker = repository.add_user(session, "a0010", "agent", agent_code="A0010")
        session.flush()
        ids = giver.id, taker.id
    # Dublin: A0000's s0 on the 10th given to A0010 (English only) loses German cover
    offer = offer_swap(sessions, ids[0], period_id, date(2027, 6, 10), "A0010", wanted_date=None)
    assert answer_swap(sessions, ids[1], offer["id"], accept=True)["state"] == "awaiting_planner"

    with unit_of_work(sessions) as session:
        (waiting,) = digest.pending(session)
    assert (waiting.count, waiting.period, waiting.link) == (
        1,
        "June 2027",
        f"/periods/{period_id}/swaps",
    )
    assert queue_digest(sessions).queued == 1


def test_the_digest_counts_pending_time_off_requests(
    sessions, period_id, planners, monkeypatch
) -> None:
    from datetime import date

    from scheduler.services.digest_time_off import time_off_requests_pending
    from scheduler.services.time_off_requests import request_time_off, withdraw

    monkeypatch.setattr(digest, "_sources", [time_off_requests_pending])
    with unit_of_work(sessions) as session:
        users = [
            repository.add_user(session, code.lower(), "agent", agent_code=code)
            for code in ("A0000", "A0001")
        ]
        session.flush()
        ids = [user.id for user in users]
    today = date(2027, 6, 1)
    request_time_off(sessions, ids[0], date(2027, 6, 8), date(2027, 6, 9), "wedding", today)
    gone = request_time_off(sessions, ids[1], date(2027, 6, 10), date(2027, 6, 10), "", today)
    withdraw(sessions, ids[1], gone["id"])

    with unit_of_work(sessions) as session:
        (waiting,) = digest.pending(session)
    assert (waiting.what, waiting.count, waiting.period, waiting.link) == (
        "time-off request(s) pending",
        1,
        "June 2027",
        f"/periods/{period_id}/time-off-requests",
    )
