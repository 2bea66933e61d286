"""The contract's own example: its baseline roster passes with the totals the
spec states, and ``sunshift check`` exits 0, 1 or 2 as documented."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.checker import check_roster_folder, review_roster_folder
from scheduler.cli import main
from scheduler.imports import load_scenario


@pytest.fixture
def example_scenario(spec_example_dir: Path):
    return load_scenario(spec_example_dir)


@pytest.fixture
def broken_roster_dir(spec_example_roster_dir: Path, tmp_path: Path) -> Path:
    """The example roster with one local end shown in winter time (+00:00) in June."""
    folder = tmp_path / "roster"
    shutil.copytree(spec_example_roster_dir, folder)
    roster_csv = folder / "roster.csv"
    text = roster_csv.read_text()
    row = "A0000,dub,2027-06-08,s0,"
    assert row in text
    roster_csv.write_text(text.replace("2027-06-08T16:00:00+01:00", "2027-06-08T16:00:00+00:00", 1))
    return folder


def test_spec_example_roster_passes_with_spec_totals(example_scenario, spec_example_roster_dir):
    report, errors = review_roster_folder(example_scenario, spec_example_roster_dir)
    assert errors == []
    assert report.violations == ()
    assert report.coverage.claimed_shortfall == 972
    assert report.coverage.claimed_floor_gaps == 156
    assert report.coverage.best_shortfall == 972  # the spec: "the best allocation of those shifts"


def test_spec_example_shift_on_dublin_company_holiday_is_public_holiday(
    example_scenario, spec_example_roster_dir, tmp_path
):
    folder = tmp_path / "roster"
    shutil.copytree(spec_example_roster_dir, folder)
    lines = (folder / "roster.csv").read_text().splitlines()
    dublin_tuesday = next(line for line in lines if line.startswith("A0000,dub,2027-06-08,s0,"))
    lines.append(dublin_tuesday.replace("06-08", "06-09"))  # 9 June: company day off at dub
    (folder / "roster.csv").write_text("\n".join(lines) + "\n")
    violations, errors = check_roster_folder(example_scenario, folder)
    assert errors == []
    found = {(v.rule, v.agent_id, str(v.date)) for v in violations}
    assert ("public_holiday", "A0000", "2027-06-09") in found
    assert all(v.agent_id == "A0000" or v.rule.startswith("coverage") for v in violations)


def test_cli_check_exits_0_on_the_example(spec_example_dir, spec_example_roster_dir):
    result = CliRunner().invoke(
        main, ["check", str(spec_example_dir), str(spec_example_roster_dir)]
    )
    assert result.exit_code == 0, result.output
    assert "passes every hard rule" in result.output


def test_cli_check_exits_1_and_prints_the_violation(spec_example_dir, broken_roster_dir):
    result = CliRunner().invoke(main, ["check", str(spec_example_dir), str(broken_roster_dir)])
    assert result.exit_code == 1
    assert (
        "A0000 2027-06-08 wrong_instants: end_local 2027-06-08T16:00:00+00:00 "
        "should be 2027-06-08T16:00:00+01:00" in result.output
    )


def test_cli_check_exits_2_on_an_unreadable_roster(spec_example_dir, tmp_path):
    result = CliRunner().invoke(main, ["check", str(spec_example_dir), str(tmp_path)])
    assert result.exit_code == 2
    assert "roster.csv: missing file" in result.output
