"""`sunshift what-if`: hires and new skills solved from the roster before them."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from scheduler.cli import main


def test_more_japanese_speakers_never_raise_shortfall_and_both_folders_check(
    spec_example_dir, tmp_path
):
    out = tmp_path / "what-if"
    result = CliRunner().invoke(
        main,
        [
            "what-if",
            str(spec_example_dir),
            "--add-agents",
            "tyo:ja;en:40:2",
            "--teach",
            "A0000:ja",
            "--time-limit",
            "4",
            "--seed",
            "1",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    before, after = report["before"], report["after"]
    assert (after["floor_gaps"], after["shortfall"]) <= (before["floor_gaps"], before["shortfall"])
    for side in (before, after):
        assert side["bound"] is not None and side["bound"] <= side["shortfall"]
    agents = {row["id"]: row for row in csv.DictReader((out / "scenario" / "agents.csv").open())}
    assert agents["A0000"]["languages"].split(";")[-1] == "ja"
    assert {"WHATIF-tyo-001", "WHATIF-tyo-002"} <= set(agents)
    checked = CliRunner().invoke(main, ["check", str(out / "scenario"), str(out / "roster")])
    assert checked.exit_code == 0, checked.output


def test_a_bad_change_is_refused_with_exit_2(spec_example_dir, tmp_path):
    result = CliRunner().invoke(
        main,
        ["what-if", str(spec_example_dir), "--teach", "NOBODY:ja", "--out", str(tmp_path / "x")],
    )
    assert result.exit_code == 2
    assert "no agent 'NOBODY'" in result.output
