"""The CLI path of chained periods: import and re-import say what changed, publish,
and `sunshift history` writes the history.csv the next period's folder reads."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from scheduler.cli import main
from scheduler.imports import read_scenario
from scheduler.roster_io import read_roster_folder
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from scheduler.storage.migrate import upgrade_database
from scheduler.storage.scenario_store import save_roster
from tests.chained import next_period_folder


def test_import_publish_and_history_for_the_next_period(
    tmp_path: Path, spec_example_dir: Path, spec_example_roster_dir: Path, monkeypatch
):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade_database(url)
    monkeypatch.setenv("DATABASE_URL", url)
    runner = CliRunner()
    imported = runner.invoke(main, ["import", str(spec_example_dir), "--period", "June 1"])
    assert imported.exit_code == 0, imported.output
    engine = make_engine(url)
    roster, _errors = read_roster_folder(spec_example_roster_dir)
    with unit_of_work(session_factory(engine)) as session:
        version_id = save_roster(session, 1, roster).id
    engine.dispose()
    published = runner.invoke(main, ["publish", str(version_id)])
    assert published.exit_code == 0, published.output
    assert f"published version {version_id}" in published.output

    folder = tmp_path / "scenario"
    folder.mkdir()
    for path in spec_example_dir.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    toml = folder / "scenario.toml"
    toml.write_text(toml.read_text().replace("[rules]\n", "[rules]\nmin_rest_hour = 12\n", 1))
    again = runner.invoke(main, ["import", str(folder), "--period-id", "1"])
    assert again.exit_code == 0, again.output
    assert "warning:" in again.output and "min_rest_hour" in again.output

    out = tmp_path / "history.csv"
    written = runner.invoke(main, ["history", str(version_id), "--out", str(out)])
    assert written.exit_code == 0, written.output
    following = next_period_folder(spec_example_dir, tmp_path / "next")
    (following / "history.csv").write_text(out.read_text())
    loaded = read_scenario(following)
    assert loaded.scenario is not None, loaded.errors
    assert len(loaded.scenario.history) == len(roster.assignments)  # a 7-day period: all
