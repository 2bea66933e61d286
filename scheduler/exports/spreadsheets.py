"""Hours and shift lists as CSV text and as an Excel workbook payroll can filter and sum.

Excel cannot store a time zone, so the workbook keeps each shift's wall-clock
times as naive local datetimes next to an offset column ("+01:00"), and its
UTC times as naive datetimes in UTC; the CSVs keep ISO 8601 with offsets.

Names and ids come from uploaded files, so no text cell may become a formula when
a spreadsheet opens the file: text starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return is written as a string cell with Excel's quote prefix in the
workbook (it reads exactly as written) and behind a leading apostrophe in the
CSVs (the usual guard against CSV injection; spreadsheets hide it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from calendars.zones import iso_local, iso_utc
from scheduler.domain import Assignment, Roster, Scenario
from scheduler.exports.hours import WeekHours, hours, worked_hours

SHIFTS_SHEET = "Shifts"
SHEET_TITLE_LIMIT = 31
SHEET_TITLE_FORBIDDEN = "[]:*?/\\"
HOURS_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MAX_COLUMN_WIDTH = 60
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may take for the start of a formula (or of a DDE payload)."""


@dataclass(frozen=True)
class Column:
    """One column of an export: CSV key, spreadsheet title, cell value and Excel format."""

    key: str
    title: str
    value: Callable[[Any], Any]
    number_format: str | None = None


HOURS_COLUMNS: tuple[Column, ...] = (
    Column("site", "Site", lambda r: r.site_id),
    Column("agent_id", "Agent ID", lambda r: r.agent_id),
    Column("agent_name", "Agent", lambda r: r.agent_name),
    Column("week", "Week", lambda r: r.week + 1, "0"),
    Column("week_start", "Week start", lambda r: r.week_start, DATE_FORMAT),
    Column("week_end", "Week end", lambda r: r.week_end, DATE_FORMAT),
    Column("shifts", "Shifts", lambda r: r.shifts, "0"),
    Column("contract_hours", "Contract hours", lambda r: r.contract_hours, HOURS_FORMAT),
    Column("worked_hours", "Worked hours", lambda r: r.worked_hours, HOURS_FORMAT),
    Column("night_hours", "Night hours", lambda r: r.night_hours, HOURS_FORMAT),
    Column("weekend_hours", "Weekend hours", lambda r: r.weekend_hours, HOURS_FORMAT),
    Column("holiday_hours", "Holiday hours", lambda r: r.holiday_hours, HOURS_FORMAT),
    Column("holidays", "Holidays worked", lambda r: _holiday_text(r)),
    Column("time_off_days", "Time-off days", lambda r: r.time_off_days, "0"),
    Column("time_off", "Time off", lambda r: _time_off_text(r)),
)


@dataclass(frozen=True)
class _ShiftLine:
    """A roster row with the names a reader needs beside it."""

    shift: Assignment
    agent_name: str
    site_name: str
    timezone: str


SHIFT_CSV_COLUMNS: tuple[Column, ...] = (
    Column("agent_id", "Agent ID", lambda s: s.shift.agent_id),
    Column("agent_name", "Agent", lambda s: s.agent_name),
    Column("site", "Site", lambda s: s.shift.site_id),
    Column("site_name", "Site name", lambda s: s.site_name),
    Column("timezone", "Time zone", lambda s: s.timezone),
    Column("date", "Date", lambda s: s.shift.date.isoformat()),
    Column("shift", "Shift", lambda s: s.shift.shift_id),
    Column("hours", "Hours", lambda s: _shift_hours(s.shift)),
    Column("start_utc", "Start UTC", lambda s: iso_utc(s.shift.start_utc)),
    Column("end_utc", "End UTC", lambda s: iso_utc(s.shift.end_utc)),
    Column("start_local", "Start local", lambda s: iso_local(s.shift.start_local)),
    Column("end_local", "End local", lambda s: iso_local(s.shift.end_local)),
)

SHIFT_SHEET_COLUMNS: tuple[Column, ...] = (
    *SHIFT_CSV_COLUMNS[:5],
    Column("date", "Date", lambda s: s.shift.date, DATE_FORMAT),
    SHIFT_CSV_COLUMNS[6],
    Column("hours", "Hours", lambda s: _shift_hours(s.shift), HOURS_FORMAT),
    Column("start_utc", "Start (UTC)", lambda s: _naive_utc(s.shift.start_utc), DATETIME_FORMAT),
    Column("end_utc", "End (UTC)", lambda s: _naive_utc(s.shift.end_utc), DATETIME_FORMAT),
    Column("start_local", "Start (local)", lambda s: _wall(s.shift.start_local), DATETIME_FORMAT),
    Column("start_offset", "Start offset", lambda s: _offset(s.shift.start_local)),
    Column("end_local", "End (local)", lambda s: _wall(s.shift.end_local), DATETIME_FORMAT),
    Column("end_offset", "End offset", lambda s: _offset(s.shift.end_local)),
)


def hours_csv(rows: Iterable[WeekHours]) -> str:
    """The rows of ``worked_hours`` as CSV; holidays worked as "date name (h)" joined by "; "."""
    return _csv(HOURS_COLUMNS, rows)


def shifts_csv(scenario: Scenario, roster: Roster) -> str:
    """Every shift of the roster with agent and site names, UTC and local times with offsets."""
    return _csv(SHIFT_CSV_COLUMNS, _shift_lines(scenario, roster))


def hours_xlsx(scenario: Scenario, roster: Roster) -> bytes:
    """A workbook: one sheet of weekly hours per site, then a "Shifts" sheet of every shift."""
    rows = worked_hours(scenario, roster)
    workbook = Workbook()
    workbook.remove(workbook.active)
    titles = sheet_titles(scenario)
    for site in scenario.sites:
        sheet = workbook.create_sheet(titles[site.id])
        _fill(sheet, HOURS_COLUMNS, [r for r in rows if r.site_id == site.id])
    _fill(workbook.create_sheet(SHIFTS_SHEET), SHIFT_SHEET_COLUMNS, _shift_lines(scenario, roster))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_titles(scenario: Scenario) -> dict[str, str]:
    """Site id -> its sheet title: the site's name, made legal and unique for Excel."""
    taken = {SHIFTS_SHEET.lower()}
    titles = {}
    for site in scenario.sites:
        base = "".join("_" if ch in SHEET_TITLE_FORBIDDEN else ch for ch in site.name).strip("'")
        base = (base or site.id)[:SHEET_TITLE_LIMIT]
        title, counter = base, 2
        while title.lower() in taken:
            suffix = f" ({counter})"
            title = base[: SHEET_TITLE_LIMIT - len(suffix)] + suffix
            counter += 1
        taken.add(title.lower())
        titles[site.id] = title
    return titles


def _csv(columns: Sequence[Column], items: Iterable[Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180: a CR in a cell gets quoted
    writer.writerow([c.key for c in columns])
    for item in items:
        writer.writerow([_csv_text(c.value(item)) for c in columns])
    return buffer.getvalue()


def _csv_text(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if formula_like(value):
        return "'" + value
    return value


def formula_like(value: Any) -> bool:
    """True for text a spreadsheet could run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _fill(sheet: Worksheet, columns: Sequence[Column], items: Iterable[Any]) -> None:
    """Header, typed rows, widths, frozen header and filter.

    Cells are addressed by a row counter of our own: ``sheet.max_row`` scans
    every cell, which made a 12,700-shift sheet take minutes.
    """
    for index, column in enumerate(columns, start=1):
        sheet.cell(row=1, column=index, value=column.title).font = Font(bold=True)
    widths = [len(c.title) for c in columns]
    row = 1
    for item in items:
        row += 1
        for index, column in enumerate(columns, start=1):
            value = column.value(item)
            cell = sheet.cell(row=row, column=index, value=value)
            if formula_like(value):
                cell.data_type = "s"  # openpyxl took "=..." for a formula
                cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
            if column.number_format:
                cell.number_format = column.number_format
            widths[index - 1] = max(widths[index - 1], _display_width(value))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{row}"


def _display_width(value: Any) -> int:
    if isinstance(value, datetime):
        return len("2027-01-01 00:00")
    if isinstance(value, date):
        return len("2027-01-01")
    return len(str(value))


def _shift_lines(scenario: Scenario, roster: Roster) -> list[_ShiftLine]:
    lines = []
    for shift in sorted(roster.assignments, key=lambda a: (a.agent_id, a.start_utc, a.shift_id)):
        agent = scenario.agents_by_id.get(shift.agent_id)
        site = scenario.sites_by_id.get(shift.site_id)
        lines.append(
            _ShiftLine(
                shift=shift,
                agent_name=agent.name if agent else "",
                site_name=site.name if site else "",
                timezone=site.timezone if site else "",
            )
        )
    return lines


def _holiday_text(row: WeekHours) -> str:
    return "; ".join(f"{h.day.isoformat()} {h.name} ({h.hours:g} h)" for h in row.holidays)


def _time_off_text(row: WeekHours) -> str:
    """ "2027-03-31 sick; 2027-04-01 sick": each absent day of the week with its reason."""
    return "; ".join(f"{day.isoformat()} {reason}" for day, reason in row.time_off)


def _shift_hours(shift: Assignment) -> float:
    return hours(shift.end_utc - shift.start_utc)


def _naive_utc(instant_utc: datetime) -> datetime:
    return datetime(*instant_utc.utctimetuple()[:6])


def _wall(local: datetime) -> datetime:
    """The local wall-clock reading, dropped of its zone (Excel has none)."""
    return datetime(local.year, local.month, local.day, local.hour, local.minute, local.second)


def _offset(local: datetime) -> str:
    """ "+01:00" style, as in ISO 8601."""
    return iso_local(local)[-6:]
