"""required.csv export (feeds back as a scenario's required.csv) and the CLI command."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from scheduler.domain import RequiredRow
from scheduler.requirements import compute_requirements
from scheduler.requirements.export import write_requirements


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_export_round_trips_through_required_rows(spec_example, tmp_path):
    out = tmp_path / "plan" / "required.csv"
    written = write_requirements(spec_example, out)
    assert written == [out, tmp_path / "plan" / "required_by_channel.csv"]
    rows = read_rows(out)
    assert list(rows[0]) == ["interval_start", "language", "required"]
    assert rows[0]["interval_start"].endswith("Z")
    table = compute_requirements(spec_example)
    fed_back = tuple(
        RequiredRow(
            datetime.fromisoformat(r["interval_start"].replace("Z", "+00:00")),
            r["language"],
            int(r["required"]),
        )
        for r in rows
    )
    again = compute_requirements(replace(spec_example, forecast=None, required=fed_back))
    assert again.required == table.required


def test_breakdown_explains_each_channel(spec_example, tmp_path):
    _, breakdown = write_requirements(spec_example, tmp_path / "required.csv")
    rows = read_rows(breakdown)
    assert list(rows[0]) == [
        "interval_start",
        "language",
        "channel",
        "volume",
        "aht_seconds",
        "traffic_erlangs",
        "agents",
        "service_level",
        "asa_seconds",
        "occupancy",
    ]
    phone = next(r for r in rows if r["channel"] == "phone" and float(r["volume"]) > 0)
    assert float(phone["service_level"]) >= spec_example.phone.service_level
    assert float(phone["occupancy"]) <= spec_example.staffing.max_occupancy
    assert int(phone["agents"]) >= 1
    email = next(r for r in rows if r["channel"] == "email" and float(r["agents"]) > 0)
    assert email["service_level"] == ""
    assert float(email["agents"]) != int(float(email["agents"]))  # fractional load


def test_cli_requirements_writes_both_files(spec_example_dir, tmp_path):
    try:
        from scheduler.imports import load_scenario  # noqa: F401
    except ImportError:
        pytest.skip("scheduler.imports.load_scenario is not written yet")
    from click.testing import CliRunner

    from scheduler.cli import main

    out = tmp_path / "required.csv"
    result = CliRunner().invoke(main, ["requirements", str(spec_example_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    assert len(read_rows(out)) == 672
    assert (tmp_path / "required_by_channel.csv").exists()
