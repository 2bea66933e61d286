"""Publishing: checked first, supersedes the previous, one winner when two race."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from scheduler.services import Conflict, InvalidInput, publish, publishing, record_time_off
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import load_roster, save_roster
from tests.services.helpers import at_once, version_counter


def _copy_as_draft(sessions, version_id: int) -> int:
    with unit_of_work(sessions) as session:
        version = session.get(m.RosterVersion, version_id)
        return save_roster(session, version.period_id, load_roster(session, version_id)).id


def _states(sessions, period_id: int) -> dict[int, str]:
    with unit_of_work(sessions) as session:
        rows = session.execute(
            select(m.RosterVersion.id, m.RosterVersion.state).filter_by(period_id=period_id)
        )
        return dict(rows.all())


def test_publish_supersedes_the_previous_version(
    sessions, period_id, baseline_draft_id, planner_id
):
    first = publish(
        sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id)
    )
    second_id = _copy_as_draft(sessions, baseline_draft_id)

    second = publish(sessions, second_id, planner_id, version_counter(sessions, second_id))

    assert first["state"] == "published" and first["superseded_id"] is None
    assert (second["state"], second["superseded_id"]) == ("published", baseline_draft_id)
    assert _states(sessions, period_id) == {baseline_draft_id: "superseded", second_id: "published"}
    with unit_of_work(sessions) as session:
        audit = session.scalars(select(m.AuditEntry).filter_by(action="roster.publish")).all()
    assert [a.target_id for a in audit] == [str(baseline_draft_id), str(second_id)]


def test_stale_expected_version_is_a_conflict(sessions, period_id, baseline_draft_id, planner_id):
    stale = version_counter(sessions, baseline_draft_id) - 1
    with pytest.raises(Conflict) as clash:
        publish(sessions, baseline_draft_id, planner_id, stale)
    assert clash.value.current["requested"]["state"] == "draft"
    assert _states(sessions, period_id) == {baseline_draft_id: "draft"}


def test_a_roster_breaking_a_rule_is_not_published(
    sessions, period_id, baseline_draft_id, planner_id
):
    with unit_of_work(sessions) as session:
        shift = load_roster(session, baseline_draft_id).assignments[0]
    record_time_off(sessions, period_id, shift.agent_id, shift.date, shift.date, "sick", planner_id)

    with pytest.raises(InvalidInput) as refused:
        publish(
            sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id)
        )

    assert any(
        e["field"] == "time_off" and shift.agent_id in e["message"] for e in refused.value.errors
    )
    assert _states(sessions, period_id) == {baseline_draft_id: "draft"}


def _race(sessions, attempts: list[tuple], planner_id: int) -> list:
    """Publish each (version id, expected counter[, expected published id]) from its
    own thread, all at once."""
    return at_once([lambda a=a: publish(sessions, a[0], planner_id, *a[1:]) for a in attempts])


def test_two_planners_publishing_the_same_version_one_wins(
    sessions, period_id, baseline_draft_id, planner_id
):
    expected = version_counter(sessions, baseline_draft_id)

    outcomes = _race(sessions, [(baseline_draft_id, expected)] * 2, planner_id)

    winners = [o for o in outcomes if isinstance(o, dict)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].current["published"]["id"] == baseline_draft_id


def test_two_planners_publishing_different_drafts_one_wins(
    sessions, period_id, baseline_draft_id, planner_id
):
    old = publish(
        sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id)
    )
    drafts = [_copy_as_draft(sessions, baseline_draft_id) for _ in range(2)]

    attempts = [(d, version_counter(sessions, d), old["id"]) for d in drafts]

    outcomes = _race(sessions, attempts, planner_id)

    winners = [o for o in outcomes if isinstance(o, dict)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].current["published"]["id"] == winners[0]["id"]
    states = _states(sessions, period_id)
    assert states[old["id"]] == "superseded"
    assert sorted(states[d] for d in drafts) == ["draft", "published"]


def _copy_period(sessions, planner_id: int, scenario_dir) -> int:
    """The same scenario (same agents, same dates) imported again as another period."""
    from scheduler.services import import_folder

    return import_folder(sessions, scenario_dir, planner_id, period_name="June 2027, again")


def test_a_period_overlapping_a_published_one_for_the_same_agents_is_not_published(
    sessions, period_id, baseline_draft_id, planner_id, spec_example_dir
):
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    again = _copy_period(sessions, planner_id, spec_example_dir)
    with unit_of_work(sessions) as session:
        roster = load_roster(session, baseline_draft_id)
    draft_id = _store_draft(sessions, again, roster)

    with pytest.raises(Conflict) as refused:
        publish(sessions, draft_id, planner_id, version_counter(sessions, draft_id))

    assert "June 2027" in str(refused.value) and "would see both" in str(refused.value)
    assert _states(sessions, again) == {draft_id: "draft"}


def test_a_period_whose_dates_do_not_overlap_is_published(
    sessions, period_id, baseline_draft_id, planner_id, spec_example_dir
):
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    again = _copy_period(sessions, planner_id, spec_example_dir)
    with unit_of_work(sessions) as session:  # the published period ends the day before
        first = session.get(m.PlanningPeriod, period_id)
        first.horizon_start = first.horizon_start - timedelta(days=first.horizon_days)
        repository.claim_published_days(session, first, baseline_draft_id)  # as a re-import does
        roster = load_roster(session, baseline_draft_id)
    draft_id = _store_draft(sessions, again, roster)

    done = publish(sessions, draft_id, planner_id, version_counter(sessions, draft_id))

    assert done["state"] == "published"


def _store_draft(sessions, period_id: int, roster) -> int:
    with unit_of_work(sessions) as session:
        return save_roster(session, period_id, roster).id


def test_two_overlapping_periods_published_at_once_one_wins(
    sessions, period_id, baseline_draft_id, planner_id, spec_example_dir
):
    again = _copy_period(sessions, planner_id, spec_example_dir)
    with unit_of_work(sessions) as session:
        roster = load_roster(session, baseline_draft_id)
    other_draft = _store_draft(sessions, again, roster)
    attempts = [
        (baseline_draft_id, version_counter(sessions, baseline_draft_id)),
        (other_draft, version_counter(sessions, other_draft)),
    ]

    outcomes = _race(sessions, attempts, planner_id)

    winners = [o for o in outcomes if isinstance(o, dict)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert "would see both" in str(losers[0])
    with unit_of_work(sessions) as session:
        published = session.scalars(select(m.RosterVersion.id).filter_by(state="published")).all()
        claimed = set(session.scalars(select(m.PublishedDay.roster_version_id)))
    assert published == [winners[0]["id"]] and claimed == {winners[0]["id"]}


def test_the_database_refuses_double_rostering_without_the_check(
    sessions, period_id, baseline_draft_id, planner_id, spec_example_dir, monkeypatch
):
    """Even if the check before the publish saw nothing (a rival committed after it),
    the published_days key refuses the second period inside the publish itself."""
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    again = _copy_period(sessions, planner_id, spec_example_dir)
    with unit_of_work(sessions) as session:
        roster = load_roster(session, baseline_draft_id)
    draft_id = _store_draft(sessions, again, roster)
    calls = []
    real_check = publishing._refuse_double_rostering

    def check_only_after_the_clash(session, period):
        calls.append(period.id)
        if len(calls) > 1:  # the error path explains the clash
            real_check(session, period)

    monkeypatch.setattr(publishing, "_refuse_double_rostering", check_only_after_the_clash)

    with pytest.raises(Conflict) as refused:
        publish(sessions, draft_id, planner_id, version_counter(sessions, draft_id))

    assert "would see both" in str(refused.value)
    assert _states(sessions, again) == {draft_id: "draft"}


def test_republishing_a_period_moves_its_claimed_days(
    sessions, period_id, baseline_draft_id, planner_id
):
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    second = _copy_as_draft(sessions, baseline_draft_id)
    publish(sessions, second, planner_id, version_counter(sessions, second))
    with unit_of_work(sessions) as session:
        period = session.get(m.PlanningPeriod, period_id)
        agents = session.scalar(
            select(func.count()).select_from(m.Agent).filter_by(period_id=period_id, active=True)
        )
        claimed = session.execute(select(m.PublishedDay.roster_version_id)).scalars().all()
    assert set(claimed) == {second} and len(claimed) == agents * period.horizon_days
