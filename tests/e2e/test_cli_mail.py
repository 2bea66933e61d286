"""`sunshift mail send`: without SMTP it says how many messages wait; with a real SMTP
server (aiosmtpd) it delivers them and says so."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.services.notifications import queue_mail
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from scheduler.storage.migrate import upgrade_database
from tests.services.smtp_sink import SmtpSink


def test_mail_send_delivers_the_outbox(tmp_path: Path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade_database(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("SUNSHIFT_SMTP_URL", raising=False)
    engine = make_engine(url)
    with unit_of_work(session_factory(engine)) as session:
        queue_mail(session, to_address="pat@example.com", subject="Hello", body="b", kind="t")
    engine.dispose()
    runner = CliRunner()
    unset = runner.invoke(main, ["mail", "send"])
    assert unset.exit_code == 2 and "1 message(s) wait in the outbox" in unset.output

    monkeypatch.setenv("SUNSHIFT_SMTP_URL", "smtp://127.0.0.1?tls=yes")
    bad = runner.invoke(main, ["mail", "send"])
    assert bad.exit_code == 2 and "unknown query key 'tls'" in bad.output

    sink = SmtpSink().start()
    try:
        monkeypatch.setenv("SUNSHIFT_SMTP_URL", sink.url)
        sent = runner.invoke(main, ["mail", "send"])
        assert sent.exit_code == 0, sent.output
        assert "1 sent, 0 to retry" in sent.output
        assert sink.recipients == ["pat@example.com"]
    finally:
        sink.stop()


def test_the_server_sends_the_outbox_when_smtp_is_set(tmp_path: Path, monkeypatch) -> None:
    from web.app import create_service_app

    url = f"sqlite:///{tmp_path / 'serve.db'}"
    upgrade_database(url)
    sink = SmtpSink().start()
    monkeypatch.setenv("SUNSHIFT_SMTP_URL", sink.url)
    monkeypatch.setenv("SUNSHIFT_MAIL_SEND_SECONDS", "0.2")
    app = create_service_app(url, watch_jobs=True)
    try:
        with unit_of_work(session_factory(app.extensions["sunshift.engine"])) as session:
            queue_mail(session, to_address="lee@example.com", subject="Hi", body="b", kind="t")
        deadline = time.monotonic() + 30
        while not sink.recipients and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sink.recipients == ["lee@example.com"]
    finally:
        app.extensions["sunshift.mail_loop"].stop()
        app.extensions["sunshift.job_watch"].stop()
        sink.stop()
        app.extensions["sunshift.engine"].dispose()


def test_a_bad_smtp_url_stops_the_server_with_why(tmp_path: Path, monkeypatch) -> None:
    from web.app import create_service_app

    monkeypatch.setenv("SUNSHIFT_SMTP_URL", "smtps://h?starttls=true")
    with pytest.raises(ValueError, match="smtps:// is TLS already"):
        create_service_app(f"sqlite:///{tmp_path / 'x.db'}", watch_jobs=True)
