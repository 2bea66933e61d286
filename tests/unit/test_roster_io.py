"""Roster folders: what is written reads back as the same roster, the files
follow the contract's columns and formats, and bad files are named precisely."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from scheduler.roster_io import read_roster_folder, write_roster_folder


def test_spec_example_roster_reads_and_round_trips(spec_example_roster_dir: Path, tmp_path: Path):
    roster, errors = read_roster_folder(spec_example_roster_dir)
    assert errors == []
    assert len(roster.assignments) == 127
    assert len(roster.coverage) == 7 * 24 * 4
    write_roster_folder(tmp_path / "out", roster)
    again, errors = read_roster_folder(tmp_path / "out")
    assert errors == []
    assert again == roster
    assert again.summary == roster.summary
    for assignment, reread in zip(roster.assignments, again.assignments, strict=True):
        assert reread.start_local.utcoffset() == assignment.start_local.utcoffset()
        assert reread.end_local.utcoffset() == assignment.end_local.utcoffset()


def test_written_files_match_the_contract_text(spec_example_roster_dir: Path, tmp_path: Path):
    roster, _ = read_roster_folder(spec_example_roster_dir)
    write_roster_folder(tmp_path, roster)
    for name in ("roster.csv", "coverage.csv"):
        assert (tmp_path / name).read_text() == (spec_example_roster_dir / name).read_text()
    summary = (tmp_path / "summary.json").read_text()
    assert json.loads(summary) == roster.summary
    assert list(json.loads(summary)) == ["status", "shortfall", "floor_gaps", "bound",
                                         "solve_seconds", "violations"]  # fmt: skip
    assert summary.startswith('{\n  "status": "baseline"')


def test_rows_are_sorted_by_agent_then_start_and_by_interval_then_language(
    spec_example_roster_dir: Path, tmp_path: Path
):
    roster, _ = read_roster_folder(spec_example_roster_dir)
    shuffled = type(roster)(roster.assignments[::-1], roster.coverage[::-1], roster.summary)
    write_roster_folder(tmp_path, shuffled)
    assert (tmp_path / "roster.csv").read_text() == (
        spec_example_roster_dir / "roster.csv"
    ).read_text()
    assert (tmp_path / "coverage.csv").read_text() == (
        spec_example_roster_dir / "coverage.csv"
    ).read_text()


def test_every_bad_value_is_reported_with_file_line_and_field(
    spec_example_roster_dir: Path, tmp_path: Path
):
    shutil.copytree(spec_example_roster_dir, tmp_path, dirs_exist_ok=True)
    lines = (tmp_path / "roster.csv").read_text().splitlines()
    lines[1] = lines[1].replace("2027-06-08,s0", "2027-06-31,s0")
    lines[2] = lines[2].replace("T06:00:00Z", "T06:00:00", 1)
    (tmp_path / "roster.csv").write_text("\n".join(lines) + "\n")
    coverage = (tmp_path / "coverage.csv").read_text().splitlines()
    coverage[3] = coverage[3].rsplit(",", 1)[0] + ",-1"
    (tmp_path / "coverage.csv").write_text("\n".join(coverage) + "\n")

    roster, errors = read_roster_folder(tmp_path)

    assert roster is None
    assert [(e.file, e.line, e.field) for e in errors] == [
        ("roster.csv", 2, "date"),
        ("roster.csv", 3, "start_utc"),
        ("coverage.csv", 4, "staffed"),
    ]
    assert str(errors[0]) == (
        "roster.csv:2: column 'date': '2027-06-31' is not valid (expected a date like 2027-03-14)"
    )
    assert errors[2].value == "-1"


def test_missing_files_columns_and_bad_json_are_errors(tmp_path: Path):
    (tmp_path / "roster.csv").write_text("agent_id,site,date,shift\n")
    (tmp_path / "summary.json").write_text("{status: 1}")
    roster, errors = read_roster_folder(tmp_path)
    assert roster is None
    found = [(e.file, e.field, e.problem) for e in errors]
    assert ("roster.csv", "start_utc", "missing column") in found
    assert ("roster.csv", "end_local", "missing column") in found
    assert ("coverage.csv", "", "missing file") in found
    assert any(file == "summary.json" and "not valid JSON" in p for file, _, p in found)


def test_extra_columns_are_allowed(spec_example_roster_dir: Path, tmp_path: Path):
    shutil.copytree(spec_example_roster_dir, tmp_path, dirs_exist_ok=True)
    lines = (tmp_path / "roster.csv").read_text().splitlines()
    widened = [lines[0] + ",note"] + [line + ",ok" for line in lines[1:]]
    (tmp_path / "roster.csv").write_text("\n".join(widened) + "\n")
    roster, errors = read_roster_folder(tmp_path)
    assert errors == []
    assert len(roster.assignments) == 127
