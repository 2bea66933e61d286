"""`sunshift validate` and `sunshift solve` honour [markets] and messaging: the
roster's coverage.csv requires what the market's holidays leave, the independent
check passes, and a bad market table is refused with every error."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from scheduler.cli import main
from tests.unit.requirements.market_scenarios import erlang_c_agents, scheduled, write_scenario

GOLDEN_WEEK = "[markets.ja]\ncountries = { JP = 1.0 }\nholiday_factor = 0.3\n"


def test_solve_requires_what_the_japanese_holiday_leaves(tmp_path: Path) -> None:
    folder = write_scenario(
        tmp_path / "gw",
        "2027-05-05",
        2,
        [("ja", "phone", 20, 300), ("ja", "messaging", 6, 600)],
        GOLDEN_WEEK,
    )
    runner = CliRunner()
    valid = runner.invoke(main, ["validate", str(folder)])
    assert valid.exit_code == 0, valid.output
    assert "Market ja: JP 1; holiday factor 0.3" in valid.output
    out = tmp_path / "roster"
    solved = runner.invoke(
        main, ["solve", str(folder), "--out", str(out), "--time-limit", "5", "--quiet"]
    )
    assert solved.exit_code == 0, solved.output
    checked = runner.invoke(main, ["check", str(folder), str(out)])
    assert checked.exit_code == 0, checked.output
    with (out / "coverage.csv").open(encoding="utf-8") as handle:
        required = {row["interval_start"]: int(row["required"]) for row in csv.DictReader(handle)}
    # messaging: 1 agent of work arrives each hour, spread over 24 h. At 18:00Z on May 5
    # the hours 00-14Z (Children's Day in Tokyo, x0.3) and 15-18Z have arrived.
    messaging_at_18z = (15 * 0.3 + 4) / 24
    # 2027-05-06 18:00Z: Tokyo's May 7; its 24 h window reaches back to 05-05 19:00Z
    assert required["2027-05-06T18:00:00Z"] == scheduled(erlang_c_agents(20, 300, 20, 0.8) + 1)
    assert required["2027-05-05T18:00:00Z"] == scheduled(
        erlang_c_agents(20, 300, 20, 0.8) + messaging_at_18z
    )
    assert required["2027-05-05T06:00:00Z"] == scheduled(
        erlang_c_agents(20 * 0.3, 300, 20, 0.8) + 0.3 * 7 / 24
    )


def test_validate_refuses_a_bad_market_with_its_line(tmp_path: Path) -> None:
    folder = write_scenario(
        tmp_path / "bad",
        "2027-05-05",
        1,
        [("ja", "phone", 20, 300)],
        "[markets.ja]\ncountries = { JP = 0.7 }\nholiday_factor = -0.5\n",
    )
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2
    assert "scenario.toml:28: key 'markets.ja.countries': {JP = 0.7} has shares summing to 0.7" in (
        result.output
    )
    assert "scenario.toml:29: key 'markets.ja.holiday_factor': -0.5 is negative" in result.output
    assert "2 errors in" in result.output
