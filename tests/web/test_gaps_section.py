"""The overview tells a planner where coverage falls short and why, from a
roster that `sunshift solve` wrote (gaps summarised in summary.json)."""

import json

from click.testing import CliRunner

from scheduler.cli import main
from web import create_app


def test_overview_lists_gaps_with_their_reasons(spec_example_dir, tmp_path):
    out = tmp_path / "roster"
    solved = CliRunner().invoke(
        main, ["solve", str(spec_example_dir), "--out", str(out), "--time-limit", "3", "--quiet"]
    )
    assert solved.exit_code == 0, solved.output
    html = create_app(spec_example_dir, out).test_client().get("/").get_data(as_text=True)
    assert "Where coverage falls short, and why" in html
    assert "no roster could cover" in html
    largest = json.loads((out / "summary.json").read_text())["gaps"]["largest"][0]
    assert largest["start_local"] in html
    assert f"<td>{largest['reason']}</td>" in html.replace(f' title="{largest["details"]}"', "")
