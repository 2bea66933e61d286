"""Shift swaps: judged with the checker's rules and the coverage allocation, approved as a
new published version that moves exactly the two shifts, races decided by the database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from scheduler.checker import check_roster
from scheduler.services import Conflict, Forbidden, InvalidInput, NotFound, publish
from scheduler.services.reverting import changes_for_whom
from scheduler.services.swaps import (
    answer_swap,
    decide_swap,
    offer_swap,
    set_auto_approve,
    withdraw_swap,
)
from scheduler.storage import models as m
from scheduler.storage import period_mapper, repository, roster_mapper
from scheduler.storage.db import unit_of_work
from scheduler.storage.models_outbox import OutboxMessage
from scheduler.storage.models_swaps import ShiftSwap, SwapClaim
from tests.services.helpers import at_once, version_counter

CLEAN = ("A0000", date(2027, 6, 8), "A0009", date(2027, 6, 12))
"""Dublin: A0000's s0 on the 8th for A0009's s3 on the 12th breaks nothing, loses nothing."""
REST = ("A0005", date(2027, 6, 9), "A0008", date(2027, 6, 13))
"""Manila: A0008 would start at 06:00 five hours after her 16:00-01:00 shift ended."""
LOSS = ("A0000", date(2027, 6, 10), "A0010", None)
"""Dublin: giving A0000's s0 on the 10th to A0010 (English only) loses German cover."""


@pytest.fixture
def published_id(sessions, baseline_draft_id, planner_id) -> int:
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    return baseline_draft_id


@pytest.fixture
def agents(sessions, published_id) -> dict[str, int]:
    """An agent user per agent code the tests use: code -> user id."""
    with unit_of_work(sessions) as session:
        users = {
            code: repository.add_user(session, code.lower(), "agent", agent_code=code)
            for code in ("A0000", "A0005", "A0006", "A0008", "A0009", "A0010")
        }
        session.flush()
        return {code: user.id for code, user in users.items()}


def _offer(sessions, agents, period_id, case, **extra) -> dict:
    offerer, day, colleague, wanted = case
    return offer_swap(
        sessions, agents[offerer], period_id, day, colleague, wanted_date=wanted, **extra
    )


def _published(sessions, period_id) -> m.RosterVersion:
    with unit_of_work(sessions) as session:
        version = repository.published_version(session, period_id)
        session.expunge(version)
        return version


def _assignments(sessions, version_id):
    with unit_of_work(sessions) as session:
        return roster_mapper.to_domain(session, version_id).assignments


def test_a_clean_swap_is_published_as_a_new_version_moving_exactly_the_two_shifts(
    sessions, period_id, published_id, agents
):
    offer = _offer(sessions, agents, period_id, CLEAN, note="family visit")
    assert offer["state"] == "pending" and offer["offered"]["shift"] == "s0"
    assert offer["offered"]["text"] == "2027-06-08 s0 07:00-16:00 (UTC+01:00)"

    done = answer_swap(sessions, agents["A0009"], offer["id"], accept=True)

    assert done["state"] == "approved", done["reason"]
    new = _published(sessions, period_id)
    assert new.id == done["result_version_id"] != published_id
    changes = changes_for_whom(_assignments(sessions, published_id), _assignments(sessions, new.id))
    assert changes["agents"] == [
        {"agent_id": "A0000", "removed": ["2027-06-08 s0"], "added": ["2027-06-12 s3"]},
        {"agent_id": "A0009", "removed": ["2027-06-12 s3"], "added": ["2027-06-08 s0"]},
    ]
    with unit_of_work(sessions) as session:
        scenario = period_mapper.to_domain(session, period_id)
        roster = roster_mapper.to_domain(session, new.id)
        actions = session.scalars(select(m.AuditEntry.action).order_by(m.AuditEntry.id)).all()
        claims = session.scalars(select(SwapClaim)).all()
    assert check_roster(scenario, roster) == []
    assert actions[-5:] == [
        "swap.offer",
        "swap.accept",
        "roster.swap",
        "roster.publish",
        "swap.approve",
    ]
    assert claims == []


def test_a_swap_breaking_the_rest_rule_is_refused_with_the_rule_named(
    sessions, period_id, published_id, agents
):
    with pytest.raises(InvalidInput) as refused:
        _offer(sessions, agents, period_id, REST)
    assert "min_rest (A0008, 2027-06-09): 5 h between shifts" in str(refused.value)
    assert "site rule needs 11 h" in str(refused.value)
    assert {e["rule"] for e in refused.value.errors} == {"min_rest"}
    with unit_of_work(sessions) as session:
        assert session.scalars(select(ShiftSwap)).all() == []


def test_a_swap_losing_coverage_waits_for_a_planner_with_the_loss_named(
    sessions, period_id, published_id, agents, planner_id
):
    offer = _offer(sessions, agents, period_id, LOSS)
    waiting = answer_swap(sessions, agents["A0010"], offer["id"], accept=True)
    assert waiting["state"] == "awaiting_planner"
    assert waiting["reason"] == "coverage: de loses 2 agent-intervals on 2027-06-10 (UTC)"
    assert _published(sessions, period_id).id == published_id

    approved = decide_swap(sessions, planner_id, offer["id"], approve=True)

    assert approved["state"] == "approved"
    after = _assignments(sessions, approved["result_version_id"])
    assert ("A0010", date(2027, 6, 10)) in {(a.agent_id, a.date) for a in after}
    assert ("A0000", date(2027, 6, 10)) not in {(a.agent_id, a.date) for a in after}


def test_with_auto_approval_off_a_clean_swap_waits_and_a_planner_may_decline_it(
    sessions, period_id, published_id, agents, planner_id
):
    set_auto_approve(sessions, planner_id, period_id, False)
    offer = _offer(sessions, agents, period_id, CLEAN)
    waiting = answer_swap(sessions, agents["A0009"], offer["id"], accept=True)
    assert waiting["state"] == "awaiting_planner"
    assert waiting["reason"] == "the period's swaps are approved by a planner"
    with pytest.raises(InvalidInput):
        decide_swap(sessions, planner_id, offer["id"], approve=False, reason="  ")

    declined = decide_swap(sessions, planner_id, offer["id"], approve=False, reason="peak week")

    assert (declined["state"], declined["reason"]) == ("declined", "peak week")
    assert _published(sessions, period_id).id == published_id


def test_the_colleague_declines_and_the_offerer_withdraws(
    sessions, period_id, published_id, agents
):
    first = _offer(sessions, agents, period_id, CLEAN)
    declined = answer_swap(sessions, agents["A0009"], first["id"], accept=False, reason="busy")
    assert (declined["state"], declined["reason"]) == ("declined", "busy")

    second = _offer(sessions, agents, period_id, CLEAN)  # the shifts are free again
    withdrawn = withdraw_swap(sessions, agents["A0000"], second["id"])
    assert withdrawn["state"] == "withdrawn"
    with pytest.raises(Conflict):
        answer_swap(sessions, agents["A0009"], second["id"], accept=True)


def test_an_agent_acts_only_for_himself(sessions, period_id, published_id, agents, planner_id):
    offer = _offer(sessions, agents, period_id, CLEAN)
    with pytest.raises(NotFound):  # a third agent does not learn the swap exists
        answer_swap(sessions, agents["A0006"], offer["id"], accept=True)
    with pytest.raises(NotFound):
        withdraw_swap(sessions, agents["A0006"], offer["id"])
    with pytest.raises(Forbidden):  # the offerer cannot accept for her
        answer_swap(sessions, agents["A0000"], offer["id"], accept=True)
    with pytest.raises(Forbidden):  # nor she withdraw for him
        withdraw_swap(sessions, agents["A0009"], offer["id"])
    with pytest.raises(Forbidden):  # a planner is no agent
        offer_swap(sessions, planner_id, period_id, CLEAN[1], "A0009")
    with pytest.raises(InvalidInput):  # a shift he does not have
        offer_swap(sessions, agents["A0000"], period_id, date(2027, 6, 9), "A0009")


def test_two_open_swaps_cannot_hold_the_same_shift(sessions, period_id, published_id, agents):
    first = _offer(sessions, agents, period_id, CLEAN)
    with pytest.raises(Conflict) as held:  # A0009's shift on the 12th, asked for again
        offer_swap(
            sessions, agents["A0010"], period_id, date(2027, 6, 11), "A0009", date(2027, 6, 12)
        )
    assert f"open swap #{first['id']}" in str(held.value)


def test_two_offers_of_one_shift_at_once_leave_one(sessions, period_id, published_id, agents):
    outcomes = at_once(
        [
            lambda: offer_swap(sessions, agents["A0000"], period_id, CLEAN[1], "A0009", CLEAN[3]),
            lambda: offer_swap(sessions, agents["A0000"], period_id, CLEAN[1], "A0010"),
        ]
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "dict"]
    with unit_of_work(sessions) as session:
        assert len(session.scalars(select(ShiftSwap)).all()) == 1


def test_a_publish_meanwhile_that_moved_the_shift_refuses_the_swap(
    sessions, period_id, published_id, agents, planner_id
):
    from scheduler.services import remove_assignment

    offer = _offer(sessions, agents, period_id, CLEAN)
    with unit_of_work(sessions) as session:
        row = session.scalar(
            select(m.Assignment)
            .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
            .where(
                m.Assignment.roster_version_id == published_id,
                m.Agent.code == "A0000",
                m.Assignment.local_date == CLEAN[1],
            )
        )
        row_id = row.id
    edit = remove_assignment(sessions, row_id, planner_id)
    publish(sessions, edit.version_id, planner_id, version_counter(sessions, edit.version_id))

    refused = answer_swap(sessions, agents["A0009"], offer["id"], accept=True)

    assert refused["state"] == "refused"
    assert "the published roster changed" in refused["reason"]
    assert _published(sessions, period_id).id == edit.version_id


def test_two_accepted_swaps_racing_to_publish_leave_one_winner_and_a_clear_refusal(
    sessions, period_id, published_id, agents, planner_id
):
    set_auto_approve(sessions, planner_id, period_id, False)
    first = _offer(sessions, agents, period_id, CLEAN)
    second = _offer(sessions, agents, period_id, LOSS)
    answer_swap(sessions, agents["A0009"], first["id"], accept=True)
    answer_swap(sessions, agents["A0010"], second["id"], accept=True)

    outcomes = at_once(
        [
            lambda: decide_swap(sessions, planner_id, first["id"], approve=True),
            lambda: decide_swap(sessions, planner_id, second["id"], approve=True),
        ]
    )

    won = [o for o in outcomes if isinstance(o, dict)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(won) >= 1 and len(won) + len(lost) == 2, outcomes
    with unit_of_work(sessions) as session:
        published = repository.published_version(session, period_id)
        states = dict(session.execute(select(ShiftSwap.id, ShiftSwap.state)).all())
        drafts = session.scalars(select(m.RosterVersion).filter_by(state="draft")).all()
    assert sorted(states.values()).count("approved") == len(won)
    assert published.id == won[-1]["result_version_id"] or len(won) == 2
    assert drafts == []  # the loser's copy is not left behind


def _with_email(sessions, agents, planner_id) -> None:
    """Give the test's agents (and the planner) e-mail addresses, on both sides of the link."""
    with unit_of_work(sessions) as session:
        for code, user_id in agents.items():
            address = f"{code.lower()}@example.org"
            session.get(m.User, user_id).email = address
            for agent in session.scalars(select(m.Agent).filter_by(code=code)):
                agent.email = address
        session.get(m.User, planner_id).email = "pat@example.org"


def _mails(sessions) -> list[tuple[str, str, str]]:
    with unit_of_work(sessions) as session:
        rows = session.execute(
            select(OutboxMessage.to_address, OutboxMessage.kind, OutboxMessage.body).order_by(
                OutboxMessage.id
            )
        )
        return [tuple(row) for row in rows]


def test_the_people_concerned_are_mailed_at_each_step_in_local_time(
    sessions, period_id, published_id, agents, planner_id
):
    _with_email(sessions, agents, planner_id)
    clean = _offer(sessions, agents, period_id, CLEAN)
    offer_mail = _mails(sessions)
    assert [(to, kind) for to, kind, _ in offer_mail] == [("a0009@example.org", "swap.offer")]
    assert "2027-06-08 s0 07:00-16:00 (UTC+01:00)" in offer_mail[0][2]
    assert "2027-06-12 s3 14:00-23:00 (UTC+01:00)" in offer_mail[0][2]

    answer_swap(sessions, agents["A0009"], clean["id"], accept=True)
    assert sorted((to, kind) for to, kind, _ in _mails(sessions)[1:]) == [
        ("a0000@example.org", "swap.approved"),
        ("a0009@example.org", "swap.approved"),
    ]

    losing = _offer(sessions, agents, period_id, LOSS)
    answer_swap(sessions, agents["A0010"], losing["id"], accept=True)
    later = [(to, kind) for to, kind, _ in _mails(sessions)[3:]]
    assert later == [
        ("a0010@example.org", "swap.offer"),
        ("pat@example.org", "swap.awaiting_planner"),
        ("a0000@example.org", "swap.accepted"),
    ]
    assert "coverage: de loses 2 agent-intervals" in _mails(sessions)[4][2]


def test_a_refused_offer_queues_no_mail(sessions, period_id, published_id, agents, planner_id):
    _with_email(sessions, agents, planner_id)
    with pytest.raises(InvalidInput):
        _offer(sessions, agents, period_id, REST)
    assert _mails(sessions) == []
