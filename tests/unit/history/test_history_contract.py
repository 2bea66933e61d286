"""history.csv (contract v1.1) on the contract's own example: the valid roster it
ships passes with the totals it states, rosters that break the seam are refused,
and `sunshift solve` keeps every rule across the seam."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.checker import review_roster_folder
from scheduler.cli import main
from scheduler.imports import load_scenario


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_example_history_is_read_with_only_its_last_14_dates(spec_history_dir):
    scenario = load_scenario(spec_history_dir)
    assert len(scenario.history) == 418
    first = scenario.horizon.start - timedelta(days=14)
    kept = [s for shifts in scenario.history_by_agent.values() for s in shifts]
    assert kept and all(first <= s.date < scenario.horizon.start for s in kept)


def test_contract_history_roster_passes_with_its_totals(spec_history_dir, spec_history_roster_dir):
    scenario = load_scenario(spec_history_dir)
    report, errors = review_roster_folder(scenario, spec_history_roster_dir)
    assert errors == []
    assert report.violations == ()
    assert report.coverage.claimed_shortfall == 1001
    assert report.coverage.claimed_floor_gaps == 148
    assert report.coverage.best_shortfall == 1001


def test_the_plain_baseline_breaks_the_seam(spec_history_dir, spec_example_roster_dir):
    """The v1.0 baseline works the first dates after runs and late shifts: with the
    history those shifts break rest and consecutive days, and the checker says so."""
    scenario = load_scenario(spec_history_dir)
    report, _ = review_roster_folder(scenario, spec_example_roster_dir)
    rules = {v.rule for v in report.violations}
    assert {"min_rest", "max_consecutive_days"} <= rules
    start = scenario.horizon.start
    seam = [v for v in report.violations if v.rule in ("min_rest", "max_consecutive_days")]
    assert all(v.date is not None and v.date >= start for v in seam)


NIGHT_ON_THE_EVE = {
    "agent_id": "A0000",
    "date": "2027-06-06",
    "shift": "old_night",  # not one of today's shift ids: the times are what count
    "start_utc": "2027-06-06T22:00:00Z",
    "end_utc": "2027-06-07T08:00:00Z",
}
EARLY_ON_THE_FIRST_DATE = (
    "A0000,dub,2027-06-07,s0,2027-06-07T06:00:00Z,2027-06-07T15:00:00Z,"
    "2027-06-07T07:00:00+01:00,2027-06-07T16:00:00+01:00"
)


def _with_night_on_the_eve(folder: Path) -> None:
    _write_rows(folder / "history.csv", [NIGHT_ON_THE_EVE])


def test_a_shift_overlapping_a_history_night_is_refused(spec_history_dir, tmp_path):
    _with_night_on_the_eve(spec_history_dir)
    scenario = load_scenario(spec_history_dir)
    folder = tmp_path / "roster"
    shutil.copytree(Path(__file__).parents[2] / "fixtures" / "spec_example" / "roster", folder)
    with (folder / "roster.csv").open("a") as handle:
        handle.write(EARLY_ON_THE_FIRST_DATE + "\n")
    report, _ = review_roster_folder(scenario, folder)
    seam = [v for v in report.violations if v.rule == "min_rest"]
    assert len(seam) == 1
    assert seam[0].agent_id == "A0000" and str(seam[0].date) == "2027-06-07"
    assert "overlaps a history shift" in seam[0].message


def test_a_history_night_covers_the_first_hours(spec_history_dir):
    """Coverage counts the history night running into the window (de is always on)."""
    from scheduler.allocation import coverage_rows
    from scheduler.requirements import compute_requirements

    _with_night_on_the_eve(spec_history_dir)
    scenario = load_scenario(spec_history_dir)
    rows = coverage_rows(scenario, compute_requirements(scenario), [])
    de = {
        row.interval_start_utc.hour: row.staffed for row in rows[: 24 * 4] if row.language == "de"
    }
    assert [de[h] for h in range(8)] == [1] * 8  # 00:00Z-08:00Z: the night's whole intervals
    assert de[8] == 0


def test_solve_never_puts_a_shift_inside_the_rest_after_a_history_night(spec_history_dir, tmp_path):
    """The early shift on the first date would cover Dublin's morning: tempting, and
    forbidden by the rest rule across the seam."""
    from scheduler.pipeline import SolveOptions, solve_scenario

    _with_night_on_the_eve(spec_history_dir)
    scenario = load_scenario(spec_history_dir)
    solved = solve_scenario(scenario, SolveOptions(time_limit_seconds=1, seed=1, workers=1))
    first = [a for a in solved.roster.assignments if a.agent_id == "A0000"]
    night_end = scenario.history[0].end_utc
    assert all((a.start_utc - night_end) >= timedelta(hours=11) for a in first)
    assert first, "A0000 still works later in the week"


def test_history_errors_name_file_line_and_field(spec_history_dir):
    path = spec_history_dir / "history.csv"
    rows = _rows(path)
    rows[0]["agent_id"] = "NOBODY"
    rows[1]["date"] = "2027-06-07"  # the horizon's start: not history
    rows[2]["end_utc"] = rows[2]["start_utc"]
    rows[3]["date"] = "2027-05-20"  # not the local date of its start in Dublin
    rows[4]["start_utc"] = "2027-05-28T10:00:00"  # no offset
    _write_rows(path, rows)
    result = CliRunner().invoke(main, ["validate", str(spec_history_dir)])
    assert result.exit_code == 2
    text = result.output
    expected = ((2, "agent_id"), (3, "date"), (4, "end_utc"), (5, "date"), (6, "start_utc"))
    for line, field in expected:
        assert f"history.csv:{line}: column '{field}'" in text, (line, field)


@pytest.mark.slow
def test_solve_keeps_every_rule_across_the_seam(spec_history_dir, tmp_path):
    out = tmp_path / "roster"
    runner = CliRunner()
    solved = runner.invoke(
        main, ["solve", str(spec_history_dir), "--out", str(out), "--time-limit", "8", "--quiet"]
    )
    assert solved.exit_code == 0, solved.output
    checked = runner.invoke(main, ["check", str(spec_history_dir), str(out)])
    assert checked.exit_code == 0, checked.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["violations"] == []
    assert summary["shortfall"] < 1001  # the contract's seam-safe baseline
    scenario = load_scenario(spec_history_dir)
    start = scenario.horizon.start
    worked = {(r["agent_id"], r["date"]) for r in _rows(out / "roster.csv")}
    assert not any(r["date"] < start.isoformat() for r in _rows(out / "roster.csv"))
    # an agent whose history ends on six worked dates in a row (the limit) is off on the first date
    for agent_id, shifts in scenario.history_by_agent.items():
        limit = scenario.site_of(scenario.agent(agent_id)).rules.max_consecutive_days
        dates = {s.date for s in shifts}
        if all(start - timedelta(days=k) in dates for k in range(1, limit + 1)):
            assert (agent_id, start.isoformat()) not in worked


def test_validate_summarises_the_history(spec_history_dir):
    result = CliRunner().invoke(main, ["validate", str(spec_history_dir)])
    assert result.exit_code == 0, result.output
    assert "History: 418 shifts before the start, 418 of them in its last 14 days (40 agents)" in (
        result.output
    )
