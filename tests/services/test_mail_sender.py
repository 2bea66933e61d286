"""The sender against a real SMTP server in-process (aiosmtpd): what it received.

Down -> retried with backoff -> delivered when the server is back; two senders at once
never send one message twice; a rolled-back change sends nothing."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.mail.sender import retry_delay, send_due
from scheduler.mail.settings import parse_smtp_url
from scheduler.services.notifications import queue_mail
from scheduler.storage.db import unit_of_work
from scheduler.storage.models import utc_now
from scheduler.storage.models_outbox import OutboxMessage
from tests.services.smtp_sink import SmtpSink


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


def _queue(sessions: sessionmaker[Session], count: int, prefix: str = "m") -> None:
    with unit_of_work(sessions) as session:
        for number in range(count):
            queue_mail(
                session,
                to_address=f"{prefix}{number}@example.com",
                subject=f"Message {number}",
                body=f"Body {number}",
                kind="test",
                link="/me",
            )


def _rows(sessions: sessionmaker[Session]) -> list[OutboxMessage]:
    with unit_of_work(sessions) as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_queued_mail_is_delivered_once_and_marked_sent(sessions, sink, monkeypatch) -> None:
    monkeypatch.setenv("SUNSHIFT_PUBLIC_URL", "https://shifts.example.com/")
    _queue(sessions, 2)
    first = send_due(sessions, sink.settings(), "w1")
    again = send_due(sessions, sink.settings(), "w1")
    assert len(first.sent) == 2 and again.sent == []
    assert sorted(sink.recipients) == ["m0@example.com", "m1@example.com"]
    mail = next(m for m in sink.messages if m["To"] == "m0@example.com")
    assert mail["Subject"] == "Message 0"
    assert mail.get_content().replace("\r\n", "\n") == "Body 0\n\nhttps://shifts.example.com/me\n"
    assert [(r.state, r.attempts, r.last_error) for r in _rows(sessions)] == [("sent", 1, None)] * 2


def test_a_rolled_back_change_sends_nothing(sessions, sink) -> None:
    with pytest.raises(RuntimeError), unit_of_work(sessions) as session:
        queue_mail(session, to_address="x@example.com", subject="No", body="b", kind="t")
        raise RuntimeError("publish failed")
    assert send_due(sessions, sink.settings(), "w1").sent == []
    assert sink.messages == []


def test_mail_queued_while_the_server_is_down_goes_out_when_it_is_back(sessions) -> None:
    server = SmtpSink()  # its port is free: nothing listens yet
    _queue(sessions, 3)
    now = utc_now()
    down = send_due(sessions, server.settings(), "w1", now=now)
    assert down.sent == [] and len(down.failed) == 1  # the round stops at the first refusal
    rows = _rows(sessions)
    assert [r.state for r in rows] == ["queued"] * 3
    assert rows[0].attempts == 1 and "Connection" in rows[0].last_error
    assert rows[0].next_attempt_at == now + retry_delay(1)
    assert [r.attempts for r in rows[1:]] == [0, 0]  # untouched: they keep their place

    server.start()
    try:
        soon = send_due(sessions, server.settings(), "w1", now=now + timedelta(seconds=1))
        assert len(soon.sent) == 2  # the failed one waits for its backoff
        later = send_due(sessions, server.settings(), "w1", now=now + retry_delay(1))
        assert later.sent == [rows[0].id]
        assert sorted(server.recipients) == [f"m{n}@example.com" for n in range(3)]
    finally:
        server.stop()
    assert [(r.state, r.last_error) for r in _rows(sessions)] == [("sent", None)] * 3


def test_backoff_doubles_up_to_an_hour() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 8, 30)] == [
        60,
        120,
        240,
        3600,
        3600,
        3600,
    ]


def test_two_senders_at_once_never_send_a_message_twice(sessions, sink) -> None:
    _queue(sessions, 40)
    start = threading.Barrier(2)
    results = {}

    def sender(name: str) -> None:
        start.wait()
        results[name] = send_due(sessions, sink.settings(), name)

    threads = [threading.Thread(target=sender, args=(f"w{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(sink.recipients) == sorted(f"m{n}@example.com" for n in range(40))
    assert sorted(results["w1"].sent + results["w2"].sent) == [r.id for r in _rows(sessions)]
    assert all(r.state == "sent" and r.attempts == 1 for r in _rows(sessions))


def test_a_message_a_dead_sender_held_is_sent_after_the_lease(sessions, sink) -> None:
    _queue(sessions, 1)
    now = utc_now()
    with unit_of_work(sessions) as session:
        row = session.scalar(select(OutboxMessage))
        row.state, row.claimed_by, row.claimed_at, row.attempts = "sending", "dead", now, 1
    assert send_due(sessions, sink.settings(), "w2", now=now + timedelta(minutes=1)).sent == []
    assert len(send_due(sessions, sink.settings(), "w2", now=now + timedelta(hours=1)).sent) == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.com", ("mail.example.com", 25, False, False, None, None)),
        (
            "smtps://u%40x:p%2Fw@mail.example.com",
            ("mail.example.com", 465, True, False, "u@x", "p/w"),
        ),
        ("smtp://u:p@h:587?starttls=true", ("h", 587, False, True, "u", "p")),
    ],
)
def test_smtp_urls(url: str, expected: tuple) -> None:
    s = parse_smtp_url(url)
    assert (s.host, s.port, s.tls, s.starttls, s.username, s.password) == expected
    assert s.password is None or s.password not in s.describe()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://h", "scheme 'http'"),
        ("smtp://h?tls=1", "unknown query key 'tls'"),
        ("smtps://h?starttls=true", "smtps:// is TLS already"),
        ("smtp://h?starttls=maybe", "starttls='maybe'"),
        ("smtp://h:99999", "port"),
    ],
)
def test_bad_smtp_urls_say_what_is_wrong(url: str, says: str) -> None:
    with pytest.raises(ValueError, match=says.replace("?", r"\?")):
        parse_smtp_url(url)
