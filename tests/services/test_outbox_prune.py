"""Outbox retention (``sunshift mail prune``): only mails the server took more than N days
ago are deleted; a mail queued, failing and retried, or being sent stays whatever its age,
so nothing a user is owed is dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from scheduler.mail.settings import outbox_keep_days
from scheduler.services.outbox import prune_sent
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from scheduler.storage.models_outbox import OutboxMessage
from tests.storage.fixtures import copy_sqlite

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


def _days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def _fill(sessions) -> None:
    """One mail of each kind, all queued a year ago: the subject says which."""
    year_ago = _days_ago(365)
    rows = {
        "queued": dict(state="queued"),
        "failing": dict(state="queued", attempts=40, last_error="421 try later"),
        "sending": dict(state="sending", attempts=1, claimed_by="w1", claimed_at=year_ago),
        "sent-91": dict(state="sent", attempts=1, sent_at=_days_ago(91)),
        "sent-90.5": dict(state="sent", attempts=1, sent_at=_days_ago(90.5)),
        "sent-89": dict(state="sent", attempts=1, sent_at=_days_ago(89)),
        "sent-today": dict(state="sent", attempts=1, sent_at=_days_ago(0.1)),
    }
    with unit_of_work(sessions) as session:
        for subject, columns in rows.items():
            session.add(
                OutboxMessage(
                    created_at=year_ago,
                    next_attempt_at=year_ago,
                    kind="test",
                    to_address=f"{subject}@example.com",
                    subject=subject,
                    body="b",
                    **columns,
                )
            )


def _subjects(sessions) -> list[str]:
    with unit_of_work(sessions) as session:
        return list(session.scalars(select(OutboxMessage.subject).order_by(OutboxMessage.id)))


def test_only_mails_sent_more_than_n_days_ago_are_deleted(sessions) -> None:
    _fill(sessions)
    assert prune_sent(sessions, 90, now=NOW) == 2
    kept = ["queued", "failing", "sending", "sent-89", "sent-today"]
    assert _subjects(sessions) == kept
    assert prune_sent(sessions, 90, now=NOW) == 0  # again: nothing more
    assert prune_sent(sessions, 1, now=NOW) == 1  # sent-89; never the unsent, nor today's
    assert _subjects(sessions) == ["queued", "failing", "sending", "sent-today"]
    with pytest.raises(ValueError, match="at least 1"):
        prune_sent(sessions, 0, now=NOW)


def test_the_keep_days_setting() -> None:
    assert outbox_keep_days({}) == 90
    assert outbox_keep_days({"SUNSHIFT_OUTBOX_KEEP_DAYS": " 30 "}) == 30
    for bad, why in (("0", "at least 1 day"), ("-5", "at least 1 day"), ("3.5", "whole number")):
        with pytest.raises(ValueError, match=why):
            outbox_keep_days({"SUNSHIFT_OUTBOX_KEEP_DAYS": bad})


def test_mail_prune_command(tmp_path, monkeypatch, migrated_sqlite) -> None:
    from scheduler.cli import main

    url = copy_sqlite(migrated_sqlite, tmp_path / "prune.db")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("SUNSHIFT_OUTBOX_KEEP_DAYS", raising=False)
    engine = make_engine(url)
    sessions = session_factory(engine)
    with unit_of_work(sessions) as session:
        for subject, days in (("old", 200), ("month", 40), ("week", 7)):
            session.add(
                OutboxMessage(
                    kind="test",
                    to_address="pat@example.com",
                    subject=subject,
                    body="b",
                    state="sent",
                    sent_at=datetime.now(UTC) - timedelta(days=days),
                )
            )
        session.add(OutboxMessage(kind="t", to_address="q@example.com", subject="q", body="b"))
    runner = CliRunner()
    default = runner.invoke(main, ["mail", "prune"])
    assert default.exit_code == 0, default.output
    assert "pruned 1 mail(s) sent more than 90 day(s) ago" in default.output
    monkeypatch.setenv("SUNSHIFT_OUTBOX_KEEP_DAYS", "30")
    assert (
        "pruned 1 mail(s) sent more than 30 day(s) ago"
        in runner.invoke(main, ["mail", "prune"]).output
    )
    assert "pruned 0 mail(s)" in runner.invoke(main, ["mail", "prune", "--days", "8"]).output
    assert _subjects(sessions) == ["week", "q"]
    assert runner.invoke(main, ["mail", "prune", "--days", "0"]).exit_code == 2
    monkeypatch.setenv("SUNSHIFT_OUTBOX_KEEP_DAYS", "soon")
    bad = runner.invoke(main, ["mail", "prune"])
    assert bad.exit_code == 2 and "SUNSHIFT_OUTBOX_KEEP_DAYS='soon'" in bad.output
    assert _subjects(sessions) == ["week", "q"]
    engine.dispose()
