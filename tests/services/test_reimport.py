"""Re-imports keep what the app recorded and say what they change."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from scheduler.services import (
    Conflict,
    import_folder,
    import_folder_report,
    publish,
    record_time_off,
    set_locked,
)
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import load_period_scenario, load_roster, save_roster
from tests.services.helpers import version_counter


def _copy(spec_example_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "scenario"
    shutil.copytree(spec_example_dir, folder)
    return folder


def _drop_line(path: Path, starting: str) -> None:
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith(starting)))


def _origins(sessions, period_id: int) -> list[tuple[str, date, str]]:
    with unit_of_work(sessions) as session:
        rows = session.execute(
            select(m.Agent.code, m.TimeOff.start_date, m.TimeOff.origin)
            .join(m.Agent)
            .where(m.Agent.period_id == period_id)
            .order_by(m.TimeOff.origin, m.Agent.code)
        )
        return [tuple(row) for row in rows]


def test_a_reimport_keeps_a_sick_call_recorded_in_the_app(
    sessions, period_id, planner_id, spec_example_dir
):
    record_time_off(
        sessions, period_id, "A0001", date(2027, 6, 8), date(2027, 6, 8), "sick", planner_id
    )

    report = import_folder_report(sessions, spec_example_dir, planner_id, period_id=period_id)

    with unit_of_work(sessions) as session:
        scenario = load_period_scenario(session, period_id)
    assert any(
        t.agent_id == "A0001" and t.start_date == date(2027, 6, 8) and t.reason == "sick"
        for t in scenario.time_off
    )
    origins = _origins(sessions, period_id)
    assert ("A0001", date(2027, 6, 8), "app") in origins
    assert sum(1 for row in origins if row[2] == "file") == 4  # time_off.csv, replaced once
    assert report.conflicts == [] and report.changes["time_off_added"]["count"] == 0


def test_app_time_off_clashing_with_the_new_files_is_kept_and_shown(
    sessions, period_id, planner_id, spec_example_dir, tmp_path
):
    record_time_off(
        sessions, period_id, "A0006", date(2027, 6, 14), date(2027, 6, 14), "sick", planner_id
    )
    record_time_off(
        sessions, period_id, "A0002", date(2027, 6, 9), date(2027, 6, 9), "sick", planner_id
    )
    folder = _copy(spec_example_dir, tmp_path)
    _drop_line(folder / "agents.csv", "A0002,")

    report = import_folder_report(sessions, folder, planner_id, period_id=period_id)

    kinds = {(c["kind"], c["agent_id"]) for c in report.conflicts}
    assert kinds == {("time_off_overlap", "A0006"), ("time_off_agent_removed", "A0002")}
    assert all("kept" in c["message"] for c in report.conflicts)
    assert report.changes["agents_removed"] == {"count": 1, "names": ["A0002"]}
    assert ("A0006", date(2027, 6, 14), "app") in _origins(sessions, period_id)


def test_a_reimport_lists_changes_and_every_warning(
    sessions, period_id, planner_id, spec_example_dir, tmp_path
):
    folder = _copy(spec_example_dir, tmp_path)
    toml = folder / "scenario.toml"
    toml.write_text(toml.read_text().replace("[rules]\n", "[rules]\nmin_rest_hour = 12\n", 1))
    _drop_line(folder / "agents.csv", "A0003,")
    with (folder / "agents.csv").open("a") as out:
        out.write("A0999,New Hire,dub,de;it,40,s0;s1\n")
    _drop_line(folder / "time_off.csv", "A0013,")
    forecast = folder / "forecast.csv"
    forecast.write_text(forecast.read_text().replace(",2.02,360", ",3.02,360", 1))

    report = import_folder_report(sessions, folder, planner_id, period_id=period_id)

    changes = report.changes
    assert changes["agents_added"] == {"count": 1, "names": ["A0999"]}
    assert changes["agents_removed"] == {"count": 1, "names": ["A0003"]}
    assert changes["forecast_changed"] is True and changes["required_changed"] is False
    assert changes["time_off_removed"]["names"] == ["A0013 2027-06-09..2027-06-12 vacation"]
    assert changes["sites_added"]["count"] == changes["sites_removed"]["count"] == 0
    assert any(w["field"].endswith("min_rest_hour") for w in report.warnings), report.warnings
    with unit_of_work(sessions) as session:
        audit = session.scalars(select(m.AuditEntry).filter_by(action="period.reimport")).one()
    assert audit.details["report"]["changes"]["agents_added"]["names"] == ["A0999"]


def test_importing_over_a_published_roster_warns_at_import(
    sessions, period_id, baseline_draft_id, planner_id, spec_example_dir
):
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))

    report = import_folder_report(sessions, spec_example_dir, planner_id, period_name="Again")

    assert [o["period_id"] for o in report.overlaps] == [period_id]
    assert "would see both" in report.overlaps[0]["message"]


def test_a_reimport_that_moves_a_published_period_onto_another_is_refused(
    sessions, period_id, baseline_draft_id, planner_id, spec_example_dir
):
    """The second period is published on other dates; re-importing it with the first
    one's dates would double-roster its agents: refused, nothing stored."""
    publish(sessions, baseline_draft_id, planner_id, version_counter(sessions, baseline_draft_id))
    with unit_of_work(sessions) as session:  # move the first period a week back
        first = session.get(m.PlanningPeriod, period_id)
        first.horizon_start = date(2027, 5, 31)
        session.execute(
            m.PublishedDay.__table__.delete().where(m.PublishedDay.period_id == period_id)
        )
    with unit_of_work(sessions) as session:
        repository.claim_published_days(
            session, session.get(m.PlanningPeriod, period_id), baseline_draft_id
        )
    other = import_folder(sessions, spec_example_dir, planner_id, period_name="Other")
    with unit_of_work(sessions) as session:  # published for 2027-06-07.. (no overlap yet)
        copy = save_roster(session, other, load_roster(session, baseline_draft_id)).id
    publish(sessions, copy, planner_id, version_counter(sessions, copy))
    with unit_of_work(sessions) as session:  # now the first period's dates again, a re-import
        first = session.get(m.PlanningPeriod, period_id)
        first.horizon_start = date(2027, 6, 7)

    with pytest.raises(Conflict) as refused:
        import_folder(sessions, spec_example_dir, planner_id, period_id=period_id)

    assert "nothing was imported" in str(refused.value)


def test_a_reimport_keeps_locks(
    sessions, period_id, baseline_draft_id, planner_id, tmp_path, spec_example_dir
):
    with unit_of_work(sessions) as session:
        row = session.scalars(
            select(m.Assignment).filter_by(roster_version_id=baseline_draft_id).limit(1)
        ).one()
        code = session.get(m.Agent, row.agent_id).code
    set_locked(sessions, row.id, True, planner_id)
    folder = _copy(spec_example_dir, tmp_path)
    _drop_line(folder / "agents.csv", f"{code},")

    report = import_folder_report(sessions, folder, planner_id, period_id=period_id)

    with unit_of_work(sessions) as session:
        assert session.get(m.Assignment, row.id).locked
    assert [(c["kind"], c["agent_id"]) for c in report.conflicts] == [("locked_shift", code)]
