"""Importing scenarios through the service: all or nothing, every error at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from scheduler.services import Conflict, InvalidInput, import_files, import_folder
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work


def _count(sessions, model) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_import_stores_period_and_audit(sessions, spec_example_dir, planner_id):
    period_id = import_folder(sessions, spec_example_dir, planner_id, period_name="June")
    with unit_of_work(sessions) as session:
        period = session.get(m.PlanningPeriod, period_id)
        assert period.name == "June"
        assert len(period.agents) == 40
        audit = session.scalars(select(m.AuditEntry)).one()
        assert (audit.action, audit.user_id, audit.target_id) == (
            "period.import",
            planner_id,
            str(period_id),
        )


def test_one_bad_row_stores_nothing(sessions, spec_example_dir, tmp_path, planner_id):
    folder = tmp_path / "scenario"
    shutil.copytree(spec_example_dir, folder)
    agents = folder / "agents.csv"
    lines = agents.read_text().splitlines()
    cells = lines[3].split(",")
    header = lines[0].split(",")
    cells[header.index("hours_per_week")] = "forty"
    lines[3] = ",".join(cells)
    agents.write_text("\n".join(lines) + "\n")

    with pytest.raises(InvalidInput) as refused:
        import_folder(sessions, folder, planner_id)

    assert [(e["file"], e["line"]) for e in refused.value.errors] == [("agents.csv", 4)]
    assert refused.value.errors[0]["field"] == "hours_per_week"
    assert "forty" in refused.value.errors[0]["value"]
    assert _count(sessions, m.PlanningPeriod) == 0
    assert _count(sessions, m.Agent) == 0


def test_uploaded_files_import_like_a_folder(sessions, spec_example_dir: Path, planner_id):
    files = {p.name: p.read_bytes() for p in spec_example_dir.iterdir() if p.is_file()}
    period_id = import_files(sessions, files, planner_id, period_name="Upload")
    with unit_of_work(sessions) as session:
        period = session.get(m.PlanningPeriod, period_id)
        assert period.source.startswith("upload:")
        assert len(period.agents) == 40


def test_upload_refuses_unknown_file_names(sessions, planner_id):
    with pytest.raises(InvalidInput) as refused:
        import_files(sessions, {"../agents.csv": b"x", "notes.txt": b"y"}, planner_id)
    assert sorted(e["file"] for e in refused.value.errors) == ["../agents.csv", "notes.txt"]
    assert _count(sessions, m.PlanningPeriod) == 0


def test_taken_period_name_is_a_conflict(sessions, spec_example_dir, planner_id):
    first = import_folder(sessions, spec_example_dir, planner_id, period_name="June")
    with pytest.raises(Conflict) as clash:
        import_folder(sessions, spec_example_dir, planner_id, period_name="June")
    assert clash.value.current["period_id"] == first
    assert _count(sessions, m.PlanningPeriod) == 1
