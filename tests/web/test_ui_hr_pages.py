"""HR pages: the list of published rosters and their payroll exports (XLSX, CSV)."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import UTC, timedelta

import pytest
from openpyxl import load_workbook

from scheduler import services
from scheduler.exports import worked_hours
from scheduler.exports.spreadsheets import COVER_SHEET, SHIFTS_SHEET, TOTALS_SHEET, sheet_titles
from scheduler.storage import models as m
from scheduler.storage.db import make_engine, session_factory, unit_of_work
from tests.web.conftest import Demo, Served, signed_in_client
from tests.web.page_tools import page

HOURS_KEYS = ("worked_hours", "night_hours", "weekend_hours", "holiday_hours")


def listed_versions(client) -> dict[str, str]:
    """version id -> the state shown, for each row of the export list."""
    document = page(client.get("/exports"))
    return {
        row.get("data-version"): row.find(cls="state").text
        for row in document.find(id="export-list").find_all("tr")
        if row.get("data-version")
    }


@pytest.mark.parametrize("user", ["hr", "planner"])
def test_exports_list_published_rosters_only(as_user, demo: Demo, user: str):
    assert listed_versions(as_user(user)) == {str(demo.published_id): "published"}


def test_exports_list_keeps_a_superseded_roster(fresh_demo: Served, demo: Demo):
    sessions = fresh_demo.sessions()
    with unit_of_work(sessions) as session:
        counter = session.get(m.RosterVersion, demo.draft_id).version_id
    services.publish(sessions, demo.draft_id, None, counter)
    client = signed_in_client(fresh_demo.app, "hr")
    assert listed_versions(client) == {
        str(demo.draft_id): "published",
        str(demo.published_id): "superseded",
    }
    assert client.get(f"/exports/{demo.published_id}/hours.csv").status_code == 200


def test_hours_xlsx_has_a_sheet_per_site_with_the_worked_hours(as_user, demo: Demo):
    answer = as_user("hr").get(f"/exports/{demo.published_id}/hours.xlsx")
    assert answer.status_code == 200
    assert answer.mimetype == ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    disposition = answer.headers["Content-Disposition"]
    stem = "sunshift-demo-roster-1-hours"
    assert disposition == f'attachment; filename="{stem}.xlsx"'
    workbook = load_workbook(io.BytesIO(answer.data), read_only=True)
    titles = sheet_titles(demo.scenario)
    assert workbook.sheetnames == [
        COVER_SHEET,
        *[titles[s.id] for s in demo.scenario.sites],
        TOTALS_SHEET,
        SHIFTS_SHEET,
    ]

    expected = worked_hours(demo.scenario, demo.published)
    for site in demo.scenario.sites:
        rows = list(workbook[titles[site.id]].iter_rows(values_only=True))
        header, body = rows[0], rows[1:]
        column = {title: index for index, title in enumerate(header)}
        site_rows = [r for r in expected if r.site_id == site.id]
        assert len(body) == len(site_rows), site.id
        for wanted, got in zip(site_rows, body, strict=True):
            assert got[column["Agent ID"]] == wanted.agent_id
            assert got[column["Week"]] == wanted.week + 1
            assert got[column["Shifts"]] == wanted.shifts
            for key in HOURS_KEYS:
                title = key.replace("_", " ").capitalize()
                assert got[column[title]] == pytest.approx(getattr(wanted, key)), (site.id, key)
    shifts = list(workbook[SHIFTS_SHEET].iter_rows(values_only=True))
    assert len(shifts) - 1 == len(demo.published.assignments)


def test_hours_xlsx_worked_hours_add_up_to_the_roster(as_user, demo: Demo):
    answer = as_user("hr").get(f"/exports/{demo.published_id}/hours.xlsx")
    workbook = load_workbook(io.BytesIO(answer.data), read_only=True)
    total = 0.0
    for title in workbook.sheetnames[1:-2]:  # the site sheets
        rows = list(workbook[title].iter_rows(values_only=True))
        index = rows[0].index("Worked hours")
        total += sum(row[index] for row in rows[1:])
    roster_hours = sum(
        (a.end_utc - a.start_utc).total_seconds() / 3600 for a in demo.published.assignments
    )
    assert total == pytest.approx(roster_hours)


def test_hours_csv_matches_the_worked_hours(as_user, demo: Demo):
    answer = as_user("hr").get(f"/exports/{demo.published_id}/hours.csv")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    assert answer.data.startswith(codecs.BOM_UTF8)  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig"))))
    expected = worked_hours(demo.scenario, demo.published)
    assert [(r["agent_id"], int(r["week"])) for r in rows] == [
        (w.agent_id, w.week + 1) for w in expected
    ]
    for got, wanted in zip(rows, expected, strict=True):
        for key in HOURS_KEYS:
            assert float(got[key]) == pytest.approx(getattr(wanted, key), abs=0.005)


def test_shifts_csv_lists_every_shift(as_user, demo: Demo):
    answer = as_user("hr").get(f"/exports/{demo.published_id}/shifts.csv")
    assert answer.data.startswith(codecs.BOM_UTF8)  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert sorted((r["agent_id"], r["date"], r["shift"]) for r in rows) == sorted(
        (a.agent_id, a.date.isoformat(), a.shift_id) for a in demo.published.assignments
    )


def test_hours_preview_totals_by_site_and_filters(as_user, demo: Demo):
    client = as_user("hr")
    document = page(client.get(f"/exports/{demo.published_id}"))
    expected = worked_hours(demo.scenario, demo.published)
    totals = {
        row.find("td").text.split(" ")[0]: [td.text for td in row.find_all("td")]
        for row in document.find(id="site-totals").find("tbody").find_all("tr")
    }
    for site in demo.scenario.sites:
        site_rows = [r for r in expected if r.site_id == site.id]
        worked = sum(r.worked_hours for r in site_rows)
        shown = next(cells for name, cells in totals.items() if site.name.startswith(name))
        assert float(shown[3]) == pytest.approx(worked, abs=0.005), site.id
    filtered = page(client.get(f"/exports/{demo.published_id}", query_string={"site": "dub"}))
    sites = {
        row.find_all("td")[1].text
        for row in filtered.find(id="agent-hours").find("tbody").find_all("tr")
    }
    assert sites == {"dub"}


def test_a_planner_may_export_a_draft_under_review(as_user, demo: Demo):
    answer = as_user("planner").get(f"/exports/{demo.draft_id}/hours.csv")
    assert answer.status_code == 200
    assert answer.data.startswith(codecs.BOM_UTF8)  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert len(rows) == len(worked_hours(demo.scenario, demo.draft))


def test_hours_xlsx_names_the_period_the_roster_and_when_it_was_published(as_user, demo: Demo):
    answer = as_user("hr").get(f"/exports/{demo.published_id}/hours.xlsx")
    workbook = load_workbook(io.BytesIO(answer.data), read_only=True)

    assert workbook.sheetnames[0] == COVER_SHEET
    facts = dict(workbook[COVER_SHEET].iter_rows(values_only=True))
    with unit_of_work(demo_sessions(demo)) as session:
        version = session.get(m.RosterVersion, demo.published_id)
        period = session.get(m.PlanningPeriod, version.period_id)
        assert facts["Period"] == period.name
        assert facts["Roster"] == f"#{version.number}"
        assert facts["State"] == "published"
        published = version.published_at.astimezone(UTC).replace(tzinfo=None)
    assert abs(facts["Published (UTC)"] - published) < timedelta(seconds=1)
    assert facts["First date"].date() == demo.scenario.horizon.start


def test_hours_xlsx_gives_each_agent_his_e_mail_and_totals(as_user, demo: Demo):
    answer = as_user("hr").get(f"/exports/{demo.published_id}/hours.xlsx")
    workbook = load_workbook(io.BytesIO(answer.data), read_only=True)
    header, *rows = workbook[TOTALS_SHEET].iter_rows(values_only=True)
    totals = {row[1]: dict(zip(header, row, strict=True)) for row in rows}

    assert set(totals) == {agent.id for agent in demo.scenario.agents}
    for agent in demo.scenario.agents:
        assert totals[agent.id]["E-mail"] == agent.email
    worked: dict[str, float] = {}
    for shift in demo.published.assignments:
        hours = (shift.end_utc - shift.start_utc).total_seconds() / 3600
        worked[shift.agent_id] = worked.get(shift.agent_id, 0.0) + hours
    for agent_id, total in totals.items():
        assert total["Worked hours"] == pytest.approx(worked.get(agent_id, 0.0)), agent_id


def demo_sessions(demo: Demo):
    return session_factory(make_engine(demo.url))
