"""Planner pages of issue 11: the import report, a stale roster said on its pages,
revert with its before/after, the audit trail by agent, and history.csv."""

from __future__ import annotations

import io

from sqlalchemy import select

from scheduler import services
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from tests.web.conftest import Served, signed_in_client
from tests.web.page_tools import find_form, flash_messages, form_fields, location, page
from tests.web.test_ui_planner_pages import scenario_files


def _reimport(client, period_id: int, files: dict[str, bytes]):
    opened = client.get(f"/periods/{period_id}")
    action = f"/periods/{period_id}/import"
    fields = form_fields(find_form(page(opened), action))
    fields["files"] = [(io.BytesIO(content), name) for name, content in files.items()]
    return client.post(action, data=fields, content_type="multipart/form-data")


def test_a_reimport_shows_its_warnings_and_changes(fresh_demo: Served):
    client = signed_in_client(fresh_demo.app, "planner")
    period_id = _demo_period(fresh_demo)
    files = scenario_files()
    files["scenario.toml"] = files["scenario.toml"].replace(
        b"[rules]\n", b"[rules]\nmin_rest_hour = 12\n", 1
    )

    answer = _reimport(client, period_id, files)

    assert answer.status_code == 302
    opened = client.get(location(answer))
    assert any("1 warning(s)" in text for _kind, text in flash_messages(opened))
    report = page(opened).find(id="import-report")
    assert "min_rest_hour" in report.text and "Last re-import" in report.text


def test_a_stale_published_roster_says_so_and_mixes_no_new_data(fresh_demo: Served):
    sessions = fresh_demo.sessions()
    period_id, published_id, shift = _published_shift(fresh_demo)
    services.record_time_off(
        sessions, period_id, shift[0], shift[1], shift[1], "sick", _planner_id(fresh_demo)
    )
    client = signed_in_client(fresh_demo.app, "planner")

    for path in (f"/rosters/{published_id}", f"/rosters/{published_id}/grid"):
        status = page(client.get(path)).find(id="roster-status")
        assert status is not None and "data changed" in status.text, path
    table = page(client.get(f"/rosters/{published_id}")).find(id="language-table")
    assert "not shown: the data changed" in table.text


def test_revert_shows_what_changes_for_whom_and_publishes_the_earlier_shifts(
    fresh_demo: Served,
):
    sessions = fresh_demo.sessions()
    period_id, first, shift = _published_shift(fresh_demo)
    planner_id = _planner_id(fresh_demo)
    edit = services.remove_assignment(sessions, shift[2], planner_id)
    with unit_of_work(sessions) as session:
        counter = session.get(m.RosterVersion, edit.version_id).version_id
    services.publish(sessions, edit.version_id, planner_id, counter)
    client = signed_in_client(fresh_demo.app, "planner")

    roster_page = page(client.get(f"/rosters/{first}"))
    assert roster_page.find(id="revert-link").get("href") == f"/rosters/{first}/revert"
    preview = page(client.get(f"/rosters/{first}/revert"))
    assert shift[0] in preview.find(id="revert-changes").text
    fields = form_fields(find_form(preview, f"/rosters/{first}/revert"))
    done = client.post(f"/rosters/{first}/revert", data=fields)

    assert done.status_code == 302
    opened = client.get(location(done))
    assert any("is published with the shifts of roster" in t for _k, t in flash_messages(opened))
    audit = page(client.get(f"/periods/{period_id}/audit?agent_id={shift[0]}"))
    assert "removed a shift" in audit.find(id="audit-table").text
    everything = page(client.get(f"/periods/{period_id}/audit")).find(id="audit-table").text
    assert "reverted to an earlier version" in everything


def test_history_csv_of_a_published_roster(fresh_demo: Served):
    _period_id, published_id, _shift = _published_shift(fresh_demo)
    client = signed_in_client(fresh_demo.app, "planner")

    link = page(client.get(f"/rosters/{published_id}")).find(id="history-link")
    answer = client.get(link.get("href"))

    assert answer.status_code == 200
    assert answer.text.lstrip("\ufeff").startswith("agent_id,site,date,shift")
    assert f'-v{published_id}.csv"' in answer.headers["Content-Disposition"]


def _demo_period(served: Served) -> int:
    with unit_of_work(served.sessions()) as session:
        return session.scalar(select(m.PlanningPeriod.id).order_by(m.PlanningPeriod.id))


def _planner_id(served: Served) -> int:
    with unit_of_work(served.sessions()) as session:
        return session.scalar(select(m.User.id).filter_by(name="planner"))


def _published_shift(served: Served) -> tuple[int, int, tuple]:
    """The demo period, its published version and one of its shifts (agent, date, row id)."""
    with unit_of_work(served.sessions()) as session:
        version = session.scalar(select(m.RosterVersion).filter_by(state="published"))
        row = session.scalars(
            select(m.Assignment).filter_by(roster_version_id=version.id).limit(1)
        ).one()
        code = session.get(m.Agent, row.agent_id).code
        return version.period_id, version.id, (code, row.local_date, row.id)
