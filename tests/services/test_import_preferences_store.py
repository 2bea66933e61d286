"""preferences.csv through the service: stored as the planner's wishes, read back by
the solve's scenario, and a re-import replaces those but keeps what agents stated."""

from __future__ import annotations

import shutil
from datetime import date

from scheduler.domain import Preference
from scheduler.services import preferences as wishes
from scheduler.services.importing import import_folder_report
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import load_period_scenario


def _with_preferences(spec_example_dir, tmp_path, rows: str):
    folder = tmp_path / "scenario"
    if not folder.exists():
        shutil.copytree(spec_example_dir, folder)
    (folder / "preferences.csv").write_text("agent_id,kind,value\n" + rows, encoding="utf-8")
    return folder


def test_a_reimport_replaces_file_wishes_and_keeps_agents_own(sessions, spec_example_dir, tmp_path):
    folder = _with_preferences(spec_example_dir, tmp_path, "A0000,day_off,sun\nA0001,shift,s1\n")
    report = import_folder_report(sessions, folder, None, "With wishes")
    period_id = report.period_id
    with unit_of_work(sessions) as session:
        agent = repository.add_user(session, "a0003", "agent", agent_code="A0003")
        session.flush()
        wishes.state_preference(session, agent, period_id, "avoid_date", "2027-06-09")
    folder = _with_preferences(spec_example_dir, tmp_path, "A0000,day_off,sat\n")
    import_folder_report(sessions, folder, None, period_id=period_id)
    with unit_of_work(sessions) as session:
        found = load_period_scenario(session, period_id, demand=False).preferences
    assert set(found) == {
        Preference("A0000", "day_off", weekday=5),
        Preference("A0003", "avoid_date", date=date(2027, 6, 9)),
    }
