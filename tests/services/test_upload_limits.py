"""Bad files are import errors naming the file, the place and the limit, never a 500
or a full memory: oversized files, too many lines, a horizon too long or too finely
cut, TOML nested too deep, ids and names longer than their database columns. Runs on
SQLite and PostgreSQL (where a 300-character agent id used to fail in the database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from config import settings
from scheduler.services import InvalidInput, import_files
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work


def scenario_files(folder: Path, **replaced: str) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    for key, text in replaced.items():
        files[key.replace("_", ".", 1)] = text.encode("utf-8")
    return files


def refused(sessions, files: dict[str, bytes], planner_id: int) -> InvalidInput:
    with pytest.raises(InvalidInput) as raised:
        import_files(sessions, files, planner_id)
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).select_from(m.PlanningPeriod)) == 0
    return raised.value


def where(problem: InvalidInput) -> set[tuple]:
    return {(e["file"], e["line"], e["field"]) for e in problem.errors}


def test_a_file_over_the_size_limit_is_refused_naming_file_and_limit(
    sessions, spec_example_dir, planner_id, monkeypatch
):
    files = scenario_files(spec_example_dir)
    limit = max(len(content) for content in files.values())
    files["agents.csv"] += b"\n" * (limit + 1 - len(files["agents.csv"]))  # blank lines
    monkeypatch.setattr(settings, "MAX_UPLOAD_BYTES", limit)

    problem = refused(sessions, files, planner_id)

    assert [e["file"] for e in problem.errors] == ["agents.csv"]
    assert "agents.csv" in str(problem)
    message = problem.errors[0]["message"]
    assert message.startswith("agents.csv: file of ")
    assert "SUNSHIFT_MAX_UPLOAD_BYTES" in message
    assert f"at most {limit / 1024:.1f} KiB per file" in message


def test_a_file_with_too_many_lines_is_refused_before_it_is_parsed(
    sessions, spec_example_dir, planner_id, monkeypatch
):
    files = scenario_files(spec_example_dir)
    lines = files["forecast.csv"].count(b"\n")
    monkeypatch.setattr(settings, "MAX_ROWS_PER_FILE", lines - 1)

    problem = refused(sessions, files, planner_id)

    assert [e["file"] for e in problem.errors] == ["forecast.csv"]
    assert f"file of {lines:,} lines, more than the {lines - 1:,}" in problem.errors[0]["message"]
    assert "SUNSHIFT_MAX_ROWS_PER_FILE" in problem.errors[0]["expected"]


def test_a_horizon_of_millions_of_days_is_an_error_on_its_line(
    sessions, spec_example_dir, planner_id
):
    toml = (spec_example_dir / "scenario.toml").read_text(encoding="utf-8")
    files = scenario_files(
        spec_example_dir, scenario_toml=toml.replace("days = 7", "days = 3000000")
    )

    problem = refused(sessions, files, planner_id)

    (error,) = [e for e in problem.errors if e["field"] == "horizon.days"]
    assert error["line"] == 5
    assert f"more than {settings.MAX_HORIZON_DAYS} days" in error["message"]


def test_a_horizon_with_too_many_intervals_is_an_error(
    sessions, spec_example_dir, planner_id, monkeypatch
):
    monkeypatch.setattr(settings, "MAX_HORIZON_INTERVALS", 7 * 24 - 1)
    files = scenario_files(spec_example_dir)

    problem = refused(sessions, files, planner_id)

    (error,) = [e for e in problem.errors if e["field"] == "horizon.days"]
    assert "168 intervals of 60 minutes, more than the 167" in error["message"]


def test_a_horizon_past_the_last_calendar_year_is_an_error(sessions, spec_example_dir, planner_id):
    toml = (spec_example_dir / "scenario.toml").read_text(encoding="utf-8")
    late = toml.replace("start = 2027-06-07", "start = 9999-12-30")

    problem = refused(sessions, scenario_files(spec_example_dir, scenario_toml=late), planner_id)

    assert any("ends after the year 9999" in e["message"] for e in problem.errors)


@pytest.mark.parametrize("depth", [40, 5000])
def test_deeply_nested_toml_is_an_error_not_a_crash(sessions, spec_example_dir, planner_id, depth):
    toml = (spec_example_dir / "scenario.toml").read_text(encoding="utf-8")
    nested = "deep = " + "[" * depth + "]" * depth + "\n" + toml

    problem = refused(sessions, scenario_files(spec_example_dir, scenario_toml=nested), planner_id)

    assert where(problem) == {("scenario.toml", None, "")}
    assert f"more than {settings.MAX_TOML_DEPTH} levels deep" in problem.errors[0]["message"]


def test_ids_and_names_longer_than_their_columns_are_errors_with_their_place(
    sessions, spec_example_dir, planner_id
):
    agents = (spec_example_dir / "agents.csv").read_text(encoding="utf-8")
    long_id, long_name = "A" * 300, "N" * 201
    agents = agents.replace("A0001,Agent 0001,", f"{long_id},{long_name},", 1)
    toml = (spec_example_dir / "scenario.toml").read_text(encoding="utf-8")
    toml = toml.replace('name = "Toronto"', f'name = "{"T" * 250}"')
    toml = toml.replace('{ id = "s4", start = "23:00"', f'{{ id = "{"s" * 65}", start = "23:00"')
    files = scenario_files(spec_example_dir, agents_csv=agents, scenario_toml=toml)

    problem = refused(sessions, files, planner_id)

    assert {
        ("agents.csv", 3, "id"),
        ("agents.csv", 3, "name"),
        ("scenario.toml", 34, "sites[0].name"),
        ("scenario.toml", 39, "sites[0].shifts[4].id"),
    } <= where(problem)
    by_field = {(e["file"], e["field"]): e["message"] for e in problem.errors}
    assert (
        "has 300 characters, more than the 64 the database keeps" in by_field[("agents.csv", "id")]
    )
    assert "has 201 characters, more than the 200" in by_field[("agents.csv", "name")]


def test_ids_at_the_column_size_import(sessions, spec_example_dir, planner_id):
    agents = (spec_example_dir / "agents.csv").read_text(encoding="utf-8")
    agents = agents.replace("A0001,Agent 0001,", f"{'A' * 64},{'N' * 200},", 1)

    period_id = import_files(
        sessions, scenario_files(spec_example_dir, agents_csv=agents), planner_id
    )

    with unit_of_work(sessions) as session:
        codes = session.scalars(select(m.Agent.code).filter_by(period_id=period_id))
        assert "A" * 64 in set(codes)
