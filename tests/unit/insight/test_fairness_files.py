"""The fairness report's files for HR: figures as numbers, names and ids as text (a name
that looks like a formula never runs), an undefined spread left empty."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import openpyxl
from insight_builders import march_2026

from scheduler.domain import Roster
from scheduler.exports.fairness_files import (
    fairness_agents_csv,
    fairness_groups_csv,
    fairness_xlsx,
)
from scheduler.fairness import fairness_report
from tests.unit.checker.checker_builders import shift

FORMULA = '=HYPERLINK("https://example.invalid","Payslip")'


def _report():
    sc = march_2026(date(2026, 3, 9), 14)
    agents = tuple(replace(a, name=FORMULA) if a.id == "D1" else a for a in sc.agents)
    sc = replace(sc, agents=agents)
    roster = Roster(
        (
            shift(sc, "D1", date(2026, 3, 13), "night"),
            shift(sc, "D2", date(2026, 3, 17), "day"),
        ),
        (),
    )
    return fairness_report(sc, roster)


def test_agents_csv_has_one_row_per_agent_and_keeps_a_formula_name_text():
    rows = list(csv.DictReader(io.StringIO(fairness_agents_csv(_report()))))

    assert [r["agent_id"] for r in rows] == ["N1", "N2", "D1", "D2", "S1"]
    dara = rows[2]
    assert dara["agent_name"] == "'" + FORMULA
    assert dara["languages"] == "en ja"
    assert (dara["night_hours"], dara["weekend_hours"], dara["holiday_hours"]) == (
        "8.0",
        "6.0",
        "0.0",
    )
    assert rows[3]["holiday_hours"] == "8.0"  # St Patrick's Day in Dublin


def test_groups_csv_lists_each_group_and_measure_with_an_empty_cv_when_undefined():
    rows = list(csv.DictReader(io.StringIO(fairness_groups_csv(_report()))))

    assert len(rows) == (3 + 2) * 3  # three sites and two languages, three measures each
    dublin_nights = next(r for r in rows if r["key"] == "dub" and r["measure"] == "night_hours")
    assert (dublin_nights["total"], dublin_nights["range"], dublin_nights["cv"]) == (
        "8.0",
        "8.0",
        "1.0",
    )
    york_nights = next(r for r in rows if r["key"] == "nyc" and r["measure"] == "night_hours")
    assert york_nights["cv"] == ""


def test_workbook_has_typed_cells_and_text_stays_text():
    book = openpyxl.load_workbook(io.BytesIO(fairness_xlsx(_report())))

    assert book.sheetnames == ["Agents", "By site", "By language", "Language by site"]
    agents = book["Agents"]
    header = [c.value for c in agents[1]]
    dara = next(row for row in agents.iter_rows(min_row=2) if row[1].value == "D1")
    name = dara[header.index("Agent")]
    assert name.value == FORMULA and name.data_type == "s" and name.quotePrefix
    assert dara[header.index("Night hours")].value == 8
    assert dara[header.index("Night hours")].number_format == "0.00"
    shares = book["Language by site"]
    titles = [c.value for c in shares[1]]
    dublin_ja = next(
        row for row in shares.iter_rows(min_row=2) if (row[0].value, row[1].value) == ("ja", "dub")
    )
    assert dublin_ja[titles.index("Share of night hours")].value == 1.0
    assert dublin_ja[titles.index("Share of night hours")].number_format == "0.0%"
