"""A quick re-solve around a pending time-off request, as if approved: a real solve
job from the published roster that keeps its locked shifts, leaves the agent off
those days, records nothing, and whose impact the queue reports from coverage."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from scheduler.checker import check_roster
from scheduler.services import Conflict, publish
from scheduler.services.time_off_requests import (
    decide,
    period_requests,
    request_time_off,
    resolve_impact,
)
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import load_period_scenario, load_roster
from tests.services.helpers import version_counter, wait_for_job

FIRST, LAST = date(2027, 6, 8), date(2027, 6, 9)


@pytest.fixture
def published_id(sessions, baseline_draft_id, planner_id) -> int:
    with unit_of_work(sessions) as session:  # pin one shift of someone else
        pinned = session.scalar(
            select(m.Assignment)
            .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
            .where(m.Assignment.roster_version_id == baseline_draft_id, m.Agent.code != "A0001")
            .order_by(m.Assignment.id)
            .limit(1)
        )
        session.execute(
            update(m.Assignment).where(m.Assignment.id == pinned.id).values(locked=True)
        )
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    return baseline_draft_id


@pytest.fixture
def request_id(sessions, period_id) -> int:
    with unit_of_work(sessions) as session:
        user = repository.add_user(session, "ann", "agent", password="pw", agent_code="A0001")
        session.flush()
        user_id = user.id
    asked = request_time_off(sessions, user_id, FIRST, LAST, "", date(2027, 6, 1))
    return asked["id"]


def _key(a) -> tuple:
    return (a.agent_id, a.date, a.shift_id)


def test_resolve_as_if_approved(sessions, period_id, published_id, request_id, planner_id):
    job_id = resolve_impact(sessions, request_id, period_id, planner_id, time_limit_seconds=3)
    job = wait_for_job(sessions, job_id)
    assert job["state"] == "succeeded", job
    assert "as if time-off request" in job["log"]

    with unit_of_work(sessions) as session:
        scenario = load_period_scenario(session, period_id)
        published = load_roster(session, published_id)
        draft = load_roster(session, job["roster_version_id"])
        pinned = set(
            session.execute(
                select(m.Agent.code, m.Assignment.local_date, m.Assignment.shift_code)
                .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
                .where(m.Assignment.roster_version_id == published_id, m.Assignment.locked)
            ).all()
        )
        recorded = session.scalar(select(m.TimeOff.id).where(m.TimeOff.origin == "request"))
    assert recorded is None  # nothing recorded: the request is still only pending
    assert not [a for a in draft.assignments if a.agent_id == "A0001" and FIRST <= a.date <= LAST]
    assert len(pinned) == 1 and pinned <= {_key(a) for a in draft.assignments}
    assert check_roster(scenario, draft) == []

    item = period_requests(sessions, period_id)["requests"][0]
    result = item["resolve"]
    assert (result["job_id"], result["version_id"], result["current"]) == (
        job_id,
        job["roster_version_id"],
        True,
    )
    before = {(r.interval_start_utc, r.language): r for r in published.coverage}
    expected = 0
    for row in draft.coverage:
        was = before[(row.interval_start_utc, row.language)]
        expected += max(0, row.required - row.staffed) - max(0, was.required - was.staffed)
    assert result["total"] == expected == sum(result["by_language"].values())
    assert result["changed_shifts"] == len(
        {_key(a) for a in published.assignments} ^ {_key(a) for a in draft.assignments}
    )


def test_only_a_pending_request_with_a_published_roster_is_resolved(
    sessions, period_id, request_id, planner_id, baseline_draft_id
):
    with pytest.raises(Conflict, match="no published roster"):
        resolve_impact(sessions, request_id, period_id, planner_id)
    decide(sessions, request_id, planner_id, "decline", "no")
    with pytest.raises(Conflict, match="declined"):
        resolve_impact(sessions, request_id, period_id, planner_id)
