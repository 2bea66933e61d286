"""`sunshift rank`: the top candidate, solved again alone with `sunshift what-if`, lands
within what the ranking proved about it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from scheduler.cli import main


def _run(*args: str) -> dict:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.slow  # the ranking's screens take up to 15 s (SCREEN_SECONDS) by design
def test_the_top_hire_solved_again_stays_within_the_proved_figures(spec_example_dir, tmp_path):
    ranking = _run(
        "rank",
        str(spec_example_dir),
        "--time-limit",
        "2",
        "--confirm",
        "1",
        "--confirm-seconds",
        "1",
        "--seed",
        "1",
    )
    top = ranking["candidates"][0]
    assert top["found"] is not None and 0 <= top["found"] <= top["proved"]
    assert all(c["found"] is None for c in ranking["candidates"][1:])
    hires = [c for c in ranking["candidates"] if c["kind"] == "hire" and c["screened"] is not None]
    hire = hires[0]
    change = f"{hire['site']}:{';'.join(hire['languages'])}:{hire['hours']:g}:1"
    report = _run(
        "what-if",
        str(spec_example_dir),
        "--add-agents",
        change,
        "--time-limit",
        "2",
        "--seed",
        "1",
        "--out",
        str(tmp_path / "what-if"),
    )
    before, after = report["before"], report["after"]
    # the same change solved alone: never worse than before (it starts from the roster
    # before) and never better than its proven bound, however short the solves (any
    # roster must keep these figures, so the solves are short)
    assert after["bound"] <= after["shortfall"] <= before["shortfall"]
