"""The example in docs/scenario-format.md is a valid scenario (guards against doc drift)."""

import re
from pathlib import Path

from scheduler.imports import read_scenario

DOC = Path(__file__).parents[3] / "docs" / "scenario-format.md"


def test_documented_example_imports_cleanly(tmp_path):
    blocks = re.findall(r"```(?:toml|csv)\n# (\S+)\n(.*?)```", DOC.read_text(), re.S)
    assert sorted(name for name, _ in blocks) == [
        "agents.csv",
        "forecast.csv",
        "scenario.toml",
        "time_off.csv",
    ]
    for name, body in blocks:
        (tmp_path / name).write_text(body, encoding="utf-8")
    result = read_scenario(tmp_path)
    assert result.errors == ()
    assert result.warnings == ()
    assert result.scenario.site("ber").rules.max_consecutive_days == 5
