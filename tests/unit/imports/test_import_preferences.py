"""preferences.csv: agents' wishes are read, and every wrong row is named at once."""

from __future__ import annotations

from datetime import date

from scheduler.domain import Preference
from scheduler.imports.loader import read_scenario


def _write(folder, text: str):
    (folder / "preferences.csv").write_text(text, encoding="utf-8")
    return read_scenario(folder)


def test_preferences_are_read(clean_copy):
    result = _write(
        clean_copy,
        "agent_id,kind,value\n"
        "D03,shift,late\n"
        "D01,day_off,Sun\n"
        "B02,avoid_date,2027-10-31\n"
        "D01,day_off,sunday\n",  # the same wish twice is one wish
    )
    assert result.errors == ()
    assert result.scenario.preferences == (
        Preference("D03", "shift", shift_id="late"),
        Preference("D01", "day_off", weekday=6),
        Preference("B02", "avoid_date", date=date(2027, 10, 31)),
    )


def test_every_wrong_row_is_named_with_its_line_and_field(clean_copy):
    result = _write(
        clean_copy,
        "agent_id,kind,value\n"
        "X99,shift,early\n"
        "D01,holiday,2027-10-30\n"
        "D02,shift,late\n"
        "D01,day_off,someday\n"
        "B01,avoid_date,2027-11-05\n",
    )
    assert result.scenario is None
    found = {(e.file.split("/")[-1], e.line, e.field): e for e in result.errors}
    assert set(found) == {
        ("preferences.csv", 2, "agent_id"),
        ("preferences.csv", 3, "kind"),
        ("preferences.csv", 4, "value"),
        ("preferences.csv", 5, "value"),
        ("preferences.csv", 6, "value"),
    }
    assert "may work" in found["preferences.csv", 4, "value"].expected
    assert "2027-10-30" in found["preferences.csv", 6, "value"].expected


def test_a_planner_limit_caps_each_kind_per_agent(clean_copy):
    rows = "".join(f"D01,day_off,{day}\n" for day in ("mon", "tue", "wed"))
    result = _write(clean_copy, "agent_id,kind,value\n" + rows)
    [error] = result.errors
    assert (error.line, error.field) == (4, "kind")
    assert "at most 2" in error.expected
