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
from scheduler.exports.hours import AgentTotals, WeekHours, agent_totals, hours, worked_hours

COVER_SHEET = "Roster"
TOTALS_SHEET = "Agent totals"
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


_HOURS_COLUMN = {column.key: column for column in HOURS_COLUMNS}
TOTALS_COLUMNS: tuple[Column, ...] = (
    *(_HOURS_COLUMN[key] for key in ("site", "agent_id", "agent_name")),
    Column("contract_hours", "Contract hours a week", lambda t: t.contract_hours, HOURS_FORMAT),
    *(
        _HOURS_COLUMN[key]
        for key in (
            "shifts",
            "worked_hours",
            "night_hours",
            "weekend_hours",
            "holiday_hours",
            "time_off_days",
        )
    ),
)
"""The Agent totals sheet: the weekly sheets' columns that add up over a period."""
AGENT_COLUMNS_AFTER = 3
"""The agent's e-mail and employee number follow Site, Agent ID and Agent."""


@dataclass(frozen=True)
class RosterCover:
    """What the workbook's first sheet says about the roster it holds (the web layer
    knows it: the stored period and version)."""

    period_name: str
    roster_number: int
    state: str
    """draft, published or superseded."""
    published_at: datetime | None
    exported_at: datetime


def hours_csv(rows: Iterable[WeekHours]) -> str:
    """The rows of ``worked_hours`` as CSV; holidays worked as "date name (h)" joined by "; "."""
    return _csv(HOURS_COLUMNS, rows)


def shifts_csv(scenario: Scenario, roster: Roster) -> str:
    """Every shift of the roster with agent and site names, UTC and local times with offsets."""
    return _csv(SHIFT_CSV_COLUMNS, _shift_lines(scenario, roster))


def hours_xlsx(scenario: Scenario, roster: Roster, cover: RosterCover | None = None) -> bytes:
    """A workbook payroll can file: first a "Roster" sheet naming the period, the roster
    and when it was published; one sheet of weekly hours per site; "Agent totals" for
    the whole period; then "Shifts", every shift. Agents carry their e-mail, and their
    employee number when agents.csv has the column."""
    rows = worked_hours(scenario, roster)
    totals = agent_totals(rows)
    who = _agent_columns(scenario)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _fill_cover(workbook.create_sheet(COVER_SHEET), scenario, roster, totals, cover)
    titles = sheet_titles(scenario)
    for site in scenario.sites:
        sheet = workbook.create_sheet(titles[site.id])
        _fill(sheet, _with(HOURS_COLUMNS, who), [r for r in rows if r.site_id == site.id])
    _fill(workbook.create_sheet(TOTALS_SHEET), _with(TOTALS_COLUMNS, who), totals)
    _fill(workbook.create_sheet(SHIFTS_SHEET), SHIFT_SHEET_COLUMNS, _shift_lines(scenario, roster))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_titles(scenario: Scenario) -> dict[str, str]:
    """Site id -> its sheet title: the site's name, made legal and unique for Excel."""
    taken = {COVER_SHEET.lower(), TOTALS_SHEET.lower(), SHIFTS_SHEET.lower()}
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


def protect_csv(text: str, lineterminator: str = "\n") -> str:
    """CSV ``text`` with every formula-like cell behind a leading apostrophe, as the
    exports above write theirs; cells that are safe, quoting and line ends stay as
    they were, so a file without such a cell comes back byte for byte."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerows([_csv_text(cell) for cell in row] for row in csv.reader(io.StringIO(text)))
    return buffer.getvalue()


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
            _put(sheet, row, index, value, column.number_format)
            widths[index - 1] = max(widths[index - 1], _display_width(value))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{row}"


def _put(sheet: Worksheet, row: int, column: int, value: Any, number_format: str | None) -> None:
    """One cell; text that could start a formula is stored as text."""
    cell = sheet.cell(row=row, column=column, value=value)
    if formula_like(value):
        cell.data_type = "s"  # openpyxl took "=..." for a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    if number_format:
        cell.number_format = number_format


def _agent_columns(scenario: Scenario) -> tuple[Column, ...]:
    """E-mail, and employee number when any agent has one (agents.csv had the column)."""
    agents = scenario.agents_by_id
    columns = [Column("email", "E-mail", lambda r: _agent_text(agents, r.agent_id, "email"))]
    if any(agent.employee_number for agent in scenario.agents):
        columns.append(
            Column(
                "employee_number",
                "Employee number",
                lambda r: _agent_text(agents, r.agent_id, "employee_number"),
            )
        )
    return tuple(columns)


def _agent_text(agents: dict[str, Any], agent_id: str, field: str) -> str:
    agent = agents.get(agent_id)
    return getattr(agent, field) if agent else ""


def _with(columns: tuple[Column, ...], who: tuple[Column, ...]) -> tuple[Column, ...]:
    return (*columns[:AGENT_COLUMNS_AFTER], *who, *columns[AGENT_COLUMNS_AFTER:])


def _fill_cover(
    sheet: Worksheet,
    scenario: Scenario,
    roster: Roster,
    totals: list[AgentTotals],
    cover: RosterCover | None,
) -> None:
    """Which period and roster the workbook holds, when it was published, and what the
    other sheets are: the page a payroll clerk files the workbook by."""
    horizon = scenario.horizon
    if cover is None:
        roster_lines: list[tuple[str, Any, str | None]] = [("Roster", "not stored", None)]
    else:
        published: Any = _naive_utc(cover.published_at) if cover.published_at else "not published"
        roster_lines = [
            ("Roster", f"#{cover.roster_number}", None),
            ("State", cover.state, None),
            ("Published (UTC)", published, DATETIME_FORMAT),
            ("Exported (UTC)", _naive_utc(cover.exported_at), DATETIME_FORMAT),
        ]
    lines: list[tuple[str, Any, str | None]] = [
        ("Period", cover.period_name if cover else scenario.name, None),
        ("Scenario", scenario.name, None),
        ("First date", horizon.start, DATE_FORMAT),
        ("Last date", horizon.dates[-1], DATE_FORMAT),
        *roster_lines,
        ("Sites", len(scenario.sites), "0"),
        ("Agents", len(totals), "0"),
        ("Shifts", len(roster.assignments), "0"),
        ("Worked hours", round(sum(t.worked_hours for t in totals), 6), HOURS_FORMAT),
        (
            "Sheets",
            "one per site (hours per agent and 7-day block), "
            f"{TOTALS_SHEET} (the whole period), {SHIFTS_SHEET} (every shift)",
            None,
        ),
        (
            "Hours",
            "real elapsed time; night (22:00-06:00), weekend and public-holiday "
            "hours by the local clock of the agent's site",
            None,
        ),
    ]
    for row, (label, value, number_format) in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        _put(sheet, row, 2, value, number_format)
    sheet.column_dimensions["A"].width = max(len(label) for label, *_ in lines) + 2
    sheet.column_dimensions["B"].width = MAX_COLUMN_WIDTH


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
