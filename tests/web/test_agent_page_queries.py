"""What an agent's page reads from the database: the signed-in user once (the row the
sign-in check read is used again), his agent row with its site in one query; the count
does not grow with the roster (no N+1)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements(app) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = app.extensions["sunshift.engine"]

    def record(_connection, _cursor, statement, *_args) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_me_reads_the_user_once_and_the_site_with_the_agent(app, as_user, demo_today):
    client = as_user("a0029")
    assert client.get("/me").status_code == 200  # what is kept per period is made
    with statements(app) as seen:
        answer = client.get("/me")
    assert answer.status_code == 200
    assert "Dublin" in answer.get_data(as_text=True)
    from_users = [s for s in seen if re.search(r"\bFROM users\b", s)]
    assert len(from_users) == 1, from_users
    assert not [s for s in seen if s.startswith("SELECT sites.")], seen
    assert len(seen) <= 5, seen


def test_time_off_of_is_each_agents_own_in_order(demo):
    scenario = demo.scenario
    assert scenario.time_off, "the demo has time off"
    for agent in scenario.agents:
        expected = tuple(t for t in scenario.time_off if t.agent_id == agent.id)
        assert scenario.time_off_of(agent.id) == expected
