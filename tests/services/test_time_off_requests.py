"""Time-off requests: limits, the impact on the published roster (checked against an
independent recomputation of coverage), approving into a draft, declining, races."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select, update

from scheduler.allocation import coverage_rows
from scheduler.checker import check_roster
from scheduler.requirements import compute_requirements
from scheduler.services import Conflict, Forbidden, InvalidInput, NotFound, publish
from scheduler.services.audit import period_audit
from scheduler.services.time_off_requests import (
    MAX_DAYS,
    decide,
    my_requests,
    period_requests,
    request_time_off,
    withdraw,
)
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from scheduler.storage.models_outbox import OutboxMessage
from scheduler.storage.scenario_store import load_period_scenario, load_roster
from tests.services.helpers import at_once, version_counter

TODAY = date(2027, 6, 1)
"""Before the spec example's week (2027-06-07..13)."""


@pytest.fixture
def published_id(sessions, baseline_draft_id, planner_id) -> int:
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    return baseline_draft_id


def _agent_user(sessions, name: str, code: str) -> int:
    with unit_of_work(sessions) as session:
        user = repository.add_user(session, name, "agent", password="pw", agent_code=code)
        session.flush()
        return user.id


@pytest.fixture
def ann(sessions, period_id) -> int:
    return _agent_user(sessions, "ann", "A0001")


@pytest.fixture
def bob(sessions, period_id) -> int:
    return _agent_user(sessions, "bob", "A0000")


def _ask(sessions, user_id, first, last, reason="family"):
    return request_time_off(sessions, user_id, first, last, reason, TODAY)


def test_agent_asks_sees_and_withdraws(sessions, ann):
    asked = _ask(sessions, ann, date(2027, 6, 8), date(2027, 6, 9))

    assert asked["state"] == "pending" and asked["days"] == 2 and asked["agent_id"] == "A0001"
    assert [r["id"] for r in my_requests(sessions, ann)] == [asked["id"]]
    assert withdraw(sessions, ann, asked["id"])["state"] == "withdrawn"
    # the dates are free again: the same days may be asked for anew
    assert _ask(sessions, ann, date(2027, 6, 8), date(2027, 6, 8))["state"] == "pending"


def test_limits_name_the_field(sessions, ann):
    cases = [
        (date(2027, 6, 9), date(2027, 6, 8), "x", "end_date"),
        (date(2027, 5, 30), date(2027, 6, 8), "x", "start_date"),  # in the past
        (date(2027, 6, 8), date(2027, 8, 8), "x", "end_date"),  # too long
        (date(2027, 6, 8), date(2027, 6, 8), "x" * 501, "reason"),
    ]
    for first, last, reason, field in cases:
        with pytest.raises(InvalidInput) as refused:
            request_time_off(sessions, ann, first, last, reason, TODAY)
        assert field in {e["field"] for e in refused.value.errors}, (first, last)
    assert (date(2027, 8, 8) - date(2027, 6, 8)).days + 1 > MAX_DAYS
    assert my_requests(sessions, ann) == []


def test_dates_before_his_first_current_period_are_refused(sessions, ann):
    with pytest.raises(InvalidInput, match="before your first current planning period"):
        _ask(sessions, ann, date(2027, 6, 3), date(2027, 6, 7))


def test_an_agent_in_no_period_cannot_ask(sessions, period_id):
    stranger = _agent_user(sessions, "zed", "Z9999")
    with pytest.raises(InvalidInput, match="no current planning period"):
        _ask(sessions, stranger, date(2027, 6, 8), date(2027, 6, 8))


def test_a_planner_cannot_ask_and_nobody_withdraws_anothers(sessions, ann, bob, planner_id):
    asked = _ask(sessions, ann, date(2027, 6, 8), date(2027, 6, 8))
    with pytest.raises(Forbidden):
        _ask(sessions, planner_id, date(2027, 6, 8), date(2027, 6, 8))
    with pytest.raises(NotFound):
        withdraw(sessions, bob, asked["id"])
    assert my_requests(sessions, bob) == []
    assert my_requests(sessions, ann)[0]["state"] == "pending"


def test_overlapping_pending_requests_are_refused_by_the_database(sessions, ann):
    outcomes = at_once(
        [
            lambda: _ask(sessions, ann, date(2027, 6, 8), date(2027, 6, 10)),
            lambda: _ask(sessions, ann, date(2027, 6, 10), date(2027, 6, 11)),
        ]
    )
    made = [o for o in outcomes if isinstance(o, dict)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(made) == 1 and len(refused) == 1, outcomes
    assert "already have a pending request" in str(refused[0])
    assert len(my_requests(sessions, ann)) == 1


def _independent_shortfall_change(sessions, period_id, version_id, code, first, last):
    """Shortfall per (interval, language) of the roster without his shifts minus with
    them, from the project's full coverage computation."""
    with unit_of_work(sessions) as session:
        scenario = load_period_scenario(session, period_id)
        roster = load_roster(session, version_id)
    requirements = compute_requirements(scenario)
    kept = [a for a in roster.assignments if not (a.agent_id == code and first <= a.date <= last)]
    before = coverage_rows(scenario, requirements, roster.assignments)
    after = coverage_rows(scenario, requirements, kept)
    change = {}
    for old, new in zip(before, after, strict=True):
        added = max(0, new.required - new.staffed) - max(0, old.required - old.staffed)
        if added:
            change[(old.interval_start_utc.strftime("%Y-%m-%dT%H:%M:%SZ"), old.language)] = added
    return change


@pytest.mark.parametrize("code", ["A0001", "A0000", "A0002", "A0003"])
def test_impact_equals_the_shortfall_difference_from_coverage(
    sessions, period_id, published_id, code
):
    user = _agent_user(sessions, f"user-{code}", code)
    first, last = date(2027, 6, 7), date(2027, 6, 10)
    _ask(sessions, user, first, last)

    queue = period_requests(sessions, period_id)
    impact = queue["requests"][0]["impact"]
    expected = _independent_shortfall_change(sessions, period_id, published_id, code, first, last)

    shown = {(i["start_utc"], i["language"]): i["added_shortfall"] for i in impact["intervals"]}
    assert shown == expected
    by_language = Counter()
    for (_start, language), added in expected.items():
        by_language[language] += added
    assert impact["by_language"] == {k: v for k, v in sorted(by_language.items()) if v}
    assert impact["total"] == sum(expected.values())
    with unit_of_work(sessions) as session:
        roster = load_roster(session, published_id)
    his = [a for a in roster.assignments if a.agent_id == code and first <= a.date <= last]
    assert len(impact["removed_shifts"]) == len(his)


def test_some_request_has_a_real_impact(sessions, period_id, published_id):
    """The parametrized test above must compare something non-trivial."""
    totals = []
    for code in ("A0000", "A0001", "A0002", "A0003"):
        user = _agent_user(sessions, f"u-{code}", code)
        _ask(sessions, user, date(2027, 6, 7), date(2027, 6, 13))
    for item in period_requests(sessions, period_id)["requests"]:
        totals.append(item["impact"]["total"])
    assert max(totals) > 0


def test_approve_records_time_off_and_a_draft_without_his_shifts(
    sessions, period_id, published_id, ann, planner_id
):
    first, last = date(2027, 6, 7), date(2027, 6, 8)
    asked = _ask(sessions, ann, first, last)
    impact = period_requests(sessions, period_id)["requests"][0]["impact"]

    decided = decide(sessions, asked["id"], planner_id, "approve")

    assert decided["state"] == "approved" and decided["decided_by"] == "pat"
    drafts = decided["outcome"]["drafts"]
    assert len(drafts) == 1 and drafts[0]["copied_from_id"] == published_id
    with unit_of_work(sessions) as session:
        scenario = load_period_scenario(session, period_id)
        draft = load_roster(session, drafts[0]["version_id"])
        published = load_roster(session, published_id)
        origins = session.scalars(
            select(m.TimeOff.origin)
            .join(m.Agent)
            .where(m.Agent.code == "A0001", m.TimeOff.start_date == first)
        ).all()
        version = session.get(m.RosterVersion, drafts[0]["version_id"])
        assert version.state == "draft" and version.parent_id == published_id
    assert origins == ["request"]
    assert any(t.agent_id == "A0001" and t.start_date == first for t in scenario.time_off)
    gone = {(a.agent_id, a.date, a.shift_id) for a in published.assignments} - {
        (a.agent_id, a.date, a.shift_id) for a in draft.assignments
    }
    assert gone and all(code == "A0001" and first <= day <= last for code, day, _ in gone)
    assert check_roster(scenario, draft) == []
    # the draft's shortfall rose by exactly the impact shown before approving
    assert drafts[0]["shortfall_after"] - drafts[0]["shortfall_before"] == impact["total"]
    with unit_of_work(sessions) as session:
        trail = period_audit(session, period_id, agent_id="A0001")
    assert [e["action"] for e in trail][:2] == [
        "time_off_request.approve",
        "time_off_request.create",
    ]
    assert trail[0]["text"].startswith("approved a time-off request")


def test_approving_names_the_days_no_period_holds_yet(sessions, period_id, ann, planner_id):
    asked = _ask(sessions, ann, date(2027, 6, 12), date(2027, 6, 15))  # the period ends 06-13

    outcome = decide(sessions, asked["id"], planner_id, "approve")["outcome"]

    assert outcome["days_in_no_period"] == ["2027-06-14", "2027-06-15"]
    with unit_of_work(sessions) as session:
        recorded = session.execute(
            select(m.TimeOff.start_date, m.TimeOff.end_date).where(m.TimeOff.origin == "request")
        ).all()
    assert recorded == [(date(2027, 6, 12), date(2027, 6, 13))]


def test_decline_needs_a_reason_the_agent_sees(sessions, ann, planner_id):
    asked = _ask(sessions, ann, date(2027, 6, 9), date(2027, 6, 9))
    with pytest.raises(InvalidInput) as refused:
        decide(sessions, asked["id"], planner_id, "decline", "  ")
    assert refused.value.errors[0]["field"] == "reason"

    decide(sessions, asked["id"], planner_id, "decline", "peak week: two colleagues are off")

    mine = my_requests(sessions, ann)[0]
    assert mine["state"] == "declined"
    assert mine["decision_reason"] == "peak week: two colleagues are off"
    with pytest.raises(Conflict, match="no longer pending"):
        withdraw(sessions, ann, asked["id"])


def test_two_planners_deciding_at_once_one_wins(sessions, period_id, published_id, ann, planner_id):
    asked = _ask(sessions, ann, date(2027, 6, 8), date(2027, 6, 8))
    with unit_of_work(sessions) as session:
        other = repository.add_user(session, "quinn", "planner", password="pw")
        session.flush()
        other_id = other.id

    outcomes = at_once(
        [
            lambda: decide(sessions, asked["id"], planner_id, "approve"),
            lambda: decide(sessions, asked["id"], other_id, "decline", "no"),
        ]
    )

    won = [o for o in outcomes if isinstance(o, dict)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert f"it was {won[0]['state']} by {won[0]['decided_by']}" in str(lost[0])
    with unit_of_work(sessions) as session:
        count = session.scalar(
            select(m.TimeOff.id).join(m.Agent).where(m.TimeOff.origin == "request")
        )
    assert (count is not None) == (won[0]["state"] == "approved")


def test_withdraw_and_approve_at_once_one_wins(sessions, period_id, published_id, ann, planner_id):
    asked = _ask(sessions, ann, date(2027, 6, 8), date(2027, 6, 8))
    outcomes = at_once(
        [
            lambda: withdraw(sessions, ann, asked["id"]),
            lambda: decide(sessions, asked["id"], planner_id, "approve"),
        ]
    )
    assert sum(isinstance(o, dict) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes


def test_planners_are_mailed_when_a_request_awaits_and_the_agent_when_decided(
    sessions, period_id, planner_id
):
    with unit_of_work(sessions) as session:
        session.get(m.User, planner_id).email = "pat@example.com"
        session.execute(  # agents.csv gives him this e-mail
            update(m.Agent).where(m.Agent.code == "A0002").values(email="Cy@example.com")
        )
        user = repository.add_user(
            session, "cy", "agent", password="pw", agent_code="A0002", email="cy@example.com"
        )
        session.flush()
        cy = user.id
    asked = _ask(sessions, cy, date(2027, 6, 9), date(2027, 6, 10), reason="move house")
    decide(sessions, asked["id"], planner_id, "decline", "two colleagues are off that week")

    with unit_of_work(sessions) as session:
        mails = session.execute(
            select(OutboxMessage.to_address, OutboxMessage.kind, OutboxMessage.body).order_by(
                OutboxMessage.id
            )
        ).all()
    assert [(to, kind) for to, kind, _ in mails] == [
        ("pat@example.com", "time_off_request.pending"),
        ("cy@example.com", "time_off_request.declined"),
    ]
    assert "move house" in mails[0][2]
    assert "two colleagues are off that week" in mails[1][2]


def test_a_refused_request_queues_no_mail(sessions, period_id, planner_id, ann):
    with unit_of_work(sessions) as session:
        session.get(m.User, planner_id).email = "pat@example.com"
    _ask(sessions, ann, date(2027, 6, 9), date(2027, 6, 9))
    with pytest.raises(Conflict):
        _ask(sessions, ann, date(2027, 6, 9), date(2027, 6, 9))
    with unit_of_work(sessions) as session:
        assert len(session.scalars(select(OutboxMessage)).all()) == 1


def test_queue_lists_only_the_periods_agents_and_dates(sessions, period_id, ann, bob):
    _ask(sessions, ann, date(2027, 6, 8), date(2027, 6, 8))
    late = _ask(sessions, bob, date(2027, 6, 20), date(2027, 6, 21))  # after the period

    queue = period_requests(sessions, period_id)

    assert [r["agent_id"] for r in queue["requests"]] == ["A0001"]
    assert queue["requests"][0]["impact"] is None  # nothing published yet
    assert late["state"] == "pending"
