"""The outbox page: planners and admins see every queued and sent e-mail, newest first,
paged, with its state; agents and HR do not."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, update

from scheduler.services.notifications import queue_mail
from scheduler.storage.db import unit_of_work
from scheduler.storage.models import utc_now
from scheduler.storage.models_outbox import OutboxMessage
from tests.web.conftest import Served, signed_in_client
from tests.web.page_tools import page


def _fill(served: Served, count: int) -> None:
    """An outbox of ``count`` messages (the demo publish's mails to its agents taken
    out), one a minute, the first two sent and the third failing."""
    start = utc_now() - timedelta(hours=2)
    with unit_of_work(served.sessions()) as session:
        session.execute(delete(OutboxMessage))
        for n in range(count):
            queue_mail(
                session,
                to_address=f"p{n}@example.com",
                subject=f"Mail {n}",
                body=f"Body {n}",
                kind="test",
                link="/me",
            )
        session.flush()
        for n, row in enumerate(session.query(OutboxMessage).order_by(OutboxMessage.id)):
            row.created_at = start + timedelta(minutes=n)
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.subject.in_(["Mail 0", "Mail 1"]))
            .values(state="sent", sent_at=utc_now(), attempts=1)
        )
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.subject == "Mail 2")
            .values(attempts=3, last_error="ConnectionRefusedError: [Errno 111]")
        )


def _rows(document) -> list[list[str]]:
    table = document.find(id="outbox-table")
    return [
        [cell.text for cell in row.find_all("td")] for row in table.find("tbody").find_all("tr")
    ]


def test_planner_sees_the_outbox_newest_first_paged(fresh_demo: Served, monkeypatch) -> None:
    monkeypatch.delenv("SUNSHIFT_SMTP_URL", raising=False)
    _fill(fresh_demo, 55)
    client = signed_in_client(fresh_demo.app, "planner")
    first = page(client.get("/outbox"))
    assert "No mail server is configured" in first.text
    assert any(a.get("href") == "/outbox" for a in first.find("nav").find_all("a"))
    rows = _rows(first)
    assert len(rows) == 50 and rows[0][1] == "p54@example.com"
    assert rows[0][2].startswith("Mail 54 Body 54")
    second = _rows(page(client.get("/outbox?page=2")))
    assert [r[1] for r in second] == [f"p{n}@example.com" for n in range(4, -1, -1)]
    states = {r[1]: r[4] for r in second}
    assert states["p0@example.com"].startswith("sent ")
    assert states["p2@example.com"].startswith("queued; next attempt ")
    assert "last error: ConnectionRefusedError" in states["p2@example.com"]
    sent_only = _rows(page(client.get("/outbox?state=sent")))
    assert [r[1] for r in sent_only] == ["p1@example.com", "p0@example.com"]


def test_agents_and_hr_may_not_read_the_outbox(fresh_demo: Served) -> None:
    for name in ("a0029", "hr"):
        assert signed_in_client(fresh_demo.app, name).get("/outbox").status_code == 403
