"""Scenarios stored as planning periods come back exactly, or not at all."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, StatementError

from config.settings import DEMO_SCENARIO_DIR
from scheduler.imports import load_scenario
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import import_scenario, load_period_scenario
from scheduler.storage.types import NaiveDatetimeError

STORED_TABLES = (
    m.PlanningPeriod,
    m.Site,
    m.ShiftTemplate,
    m.Agent,
    m.AgentLanguage,
    m.TimeOff,
    m.ForecastRow,
    m.RequiredRow,
)


def imported(sessions, scenario, **where) -> int:
    with unit_of_work(sessions) as session:
        return import_scenario(session, scenario, **where).id


def reloaded(sessions, period_id):
    with unit_of_work(sessions) as session:
        return load_period_scenario(session, period_id)


def row_counts(sessions) -> dict[str, int]:
    with unit_of_work(sessions) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in STORED_TABLES
        }


@pytest.mark.parametrize("folder", ["spec_example", "demo"])
def test_a_period_rebuilds_the_scenario_it_was_imported_from(sessions, spec_example_dir, folder):
    scenario = load_scenario(spec_example_dir if folder == "spec_example" else DEMO_SCENARIO_DIR)
    period_id = imported(sessions, scenario, period_name=f"{folder} period")

    again = reloaded(sessions, period_id)

    assert again == scenario  # every field of every site, agent, absence and forecast row
    assert [site.id for site in again.sites] == [site.id for site in scenario.sites]
    assert again.sites[1].extra_holidays == scenario.sites[1].extra_holidays
    assert [agent.languages for agent in again.agents] == [a.languages for a in scenario.agents]
    assert again.time_off == scenario.time_off
    assert again.forecast == scenario.forecast and again.required is None
    assert all(row.interval_start_utc.tzinfo is not None for row in again.forecast)
    assert again.languages == scenario.languages


def test_employee_numbers_from_agents_csv_are_kept(sessions, spec_example_dir, tmp_path):
    folder = tmp_path / "numbered"
    folder.mkdir()
    for path in spec_example_dir.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    lines = (spec_example_dir / "agents.csv").read_text(encoding="utf-8").splitlines()
    numbered = [lines[0] + ",Employee number"] + [
        f"{line},P-{index:04d}" if index % 3 else f"{line}," for index, line in enumerate(lines[1:])
    ]
    (folder / "agents.csv").write_text("\n".join(numbered) + "\n", encoding="utf-8")
    scenario = load_scenario(folder)
    assert scenario.agents[1].employee_number == "P-0001"
    assert scenario.agents[0].employee_number == ""

    again = reloaded(sessions, imported(sessions, scenario, period_name="numbered"))

    assert [a.employee_number for a in again.agents] == [a.employee_number for a in scenario.agents]


def test_an_import_failing_midway_stores_nothing(sessions, spec_example_dir):
    scenario = load_scenario(spec_example_dir)
    # The repeated forecast row violates a unique constraint after sites, agents and
    # most forecast rows were already written in the transaction.
    broken = dataclasses.replace(scenario, forecast=(*scenario.forecast, scenario.forecast[0]))

    with pytest.raises(IntegrityError):
        imported(sessions, broken, period_name="broken")

    assert set(row_counts(sessions).values()) == {0}


def test_a_failed_reimport_leaves_the_period_as_it_was(sessions, spec_example_dir):
    scenario = load_scenario(spec_example_dir)
    period_id = imported(sessions, scenario)
    counts = row_counts(sessions)
    renamed = dataclasses.replace(scenario.agents[0], name="Renamed")
    broken = dataclasses.replace(
        scenario,
        agents=(renamed, *scenario.agents[1:]),
        forecast=(*scenario.forecast, scenario.forecast[0]),
    )

    with pytest.raises(IntegrityError):
        imported(sessions, broken, period_id=period_id)

    assert row_counts(sessions) == counts
    assert reloaded(sessions, period_id) == scenario


def test_reimport_updates_agents_by_code_and_deactivates_the_missing(sessions, spec_example_dir):
    scenario = load_scenario(spec_example_dir)
    period_id = imported(sessions, scenario)
    with unit_of_work(sessions) as session:
        row_ids = dict(session.execute(select(m.Agent.code, m.Agent.id)).all())
    first, dropped, *others = scenario.agents
    changed = dataclasses.replace(first, name="Moved Agent", languages=("fr", "de"))
    newcomer = dataclasses.replace(others[0], id="N0001", name="New Agent")
    absences = tuple(t for t in scenario.time_off if t.agent_id != dropped.id)
    absences += (dataclasses.replace(scenario.time_off[0], agent_id=first.id, reason="training"),)
    updated = dataclasses.replace(
        scenario,
        agents=(changed, *others, newcomer),
        time_off=absences,
        forecast=scenario.forecast[:24],
    )

    imported(sessions, updated, period_id=period_id, period_name="renamed period")

    assert reloaded(sessions, period_id) == updated
    with unit_of_work(sessions) as session:
        rows = {row.code: row for row in session.scalars(select(m.Agent))}
        period = session.get(m.PlanningPeriod, period_id)
        assert period.name == "renamed period"
        assert session.scalar(select(func.count(m.PlanningPeriod.id))) == 1
    assert rows[first.id].id == row_ids[first.id]  # same row, so saved rosters stay valid
    assert rows[first.id].name == "Moved Agent"
    assert rows[dropped.id].id == row_ids[dropped.id] and not rows[dropped.id].active
    assert rows["N0001"].active


def test_a_second_period_with_a_taken_name_is_refused(sessions, spec_example_dir):
    scenario = load_scenario(spec_example_dir)
    imported(sessions, scenario, period_name="June")
    with pytest.raises(ValueError, match="'June' already exists"):
        imported(sessions, scenario, period_name="June")


def test_naive_datetimes_never_reach_the_database(sessions):
    with pytest.raises(StatementError) as raised, unit_of_work(sessions) as session:
        session.add(m.User(name="ann", role="planner", created_at=datetime(2027, 3, 28, 1, 30)))
        session.flush()
    assert isinstance(raised.value.orig, NaiveDatetimeError)


def test_instants_come_back_aware_in_utc(sessions, spec_example_dir):
    period_id = imported(sessions, load_scenario(spec_example_dir))
    india = timezone(timedelta(hours=5, minutes=30))
    heartbeat = datetime(2027, 3, 28, 7, 15, 30, 123456, tzinfo=india)
    with unit_of_work(sessions) as session:
        job = m.SolveJob(period_id=period_id, heartbeat_at=heartbeat)
        session.add(job)
    with unit_of_work(sessions) as session:
        stored = session.get(m.SolveJob, job.id)
        assert stored.heartbeat_at == heartbeat
        assert stored.heartbeat_at.utcoffset() == timedelta(0)
        assert stored.heartbeat_at.tzinfo is UTC
        assert stored.created_at.tzinfo is UTC
