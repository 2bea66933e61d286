"""Roster folders on disk: roster.csv, coverage.csv and summary.json.

Writing follows the contract byte for byte (UTC with ``Z``, local times with
their offset, stable sort orders) so two equal rosters give equal folders.
Reading parses only: it reports every malformed value at once, naming file,
line and field, and leaves rule checking to ``scheduler.checker``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO, TypeVar

from calendars.zones import iso_local, iso_utc
from scheduler.domain import Assignment, CoverageRow, Roster
from scheduler.imports.errors import InputError

ROSTER_FILE = "roster.csv"
COVERAGE_FILE = "coverage.csv"
SUMMARY_FILE = "summary.json"

ROSTER_COLUMNS = (
    "agent_id",
    "site",
    "date",
    "shift",
    "start_utc",
    "end_utc",
    "start_local",
    "end_local",
)
COVERAGE_COLUMNS = ("interval_start", "language", "required", "staffed")

T = TypeVar("T")


class _BadValue(ValueError):
    """A value that does not parse; carries what was expected instead."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


# --- writing -------------------------------------------------------------------------------


def write_roster_folder(folder: Path, roster: Roster) -> None:
    """Write the three files of a roster folder, creating the folder if needed."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_assignments(folder / ROSTER_FILE, roster.assignments)
    _write_coverage(folder / COVERAGE_FILE, roster.coverage)
    (folder / SUMMARY_FILE).write_text(
        json.dumps(roster.summary, indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )


def _write_assignments(path: Path, assignments: tuple[Assignment, ...]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        write_roster_csv(handle, assignments)


def write_roster_csv(handle: TextIO, assignments: Iterable[Assignment]) -> None:
    """roster.csv's rows, sorted by agent then start: the folder and the API share it."""
    ordered = sorted(assignments, key=lambda a: (a.agent_id, a.start_utc, a.shift_id))
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(ROSTER_COLUMNS)
    for a in ordered:
        writer.writerow(
            [
                a.agent_id,
                a.site_id,
                a.date.isoformat(),
                a.shift_id,
                iso_utc(a.start_utc),
                iso_utc(a.end_utc),
                iso_local(a.start_local),
                iso_local(a.end_local),
            ]
        )


def _write_coverage(path: Path, rows: tuple[CoverageRow, ...]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        write_coverage_csv(handle, rows)


def write_coverage_csv(handle: TextIO, rows: Iterable[CoverageRow]) -> None:
    """coverage.csv's rows, sorted by interval then language: the folder and the pages
    share it."""
    ordered = sorted(rows, key=lambda r: (r.interval_start_utc, r.language))
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(COVERAGE_COLUMNS)
    for row in ordered:
        writer.writerow([iso_utc(row.interval_start_utc), row.language, row.required, row.staffed])


# --- reading -------------------------------------------------------------------------------


def read_roster_folder(folder: Path) -> tuple[Roster | None, list[InputError]]:
    """Parse a roster folder; on any error return None and every error found."""
    errors: list[InputError] = []
    assignments = _read_assignments(folder / ROSTER_FILE, errors)
    coverage = _read_coverage(folder / COVERAGE_FILE, errors)
    summary = _read_summary(folder / SUMMARY_FILE, errors)
    if errors:
        return None, errors
    return Roster(assignments=tuple(assignments), coverage=tuple(coverage), summary=summary), []


def _read_assignments(path: Path, errors: list[InputError]) -> list[Assignment]:
    found: list[Assignment] = []
    for line, row in _csv_rows(path, ROSTER_COLUMNS, errors):
        field = _FieldReader(path.name, line, row, errors)
        assignment = Assignment(
            agent_id=field.get("agent_id", _non_empty),
            site_id=field.get("site", _non_empty),
            date=field.get("date", _parse_date),
            shift_id=field.get("shift", _non_empty),
            start_utc=field.get("start_utc", _parse_utc),
            end_utc=field.get("end_utc", _parse_utc),
            start_local=field.get("start_local", _parse_local),
            end_local=field.get("end_local", _parse_local),
        )
        if field.ok:
            found.append(assignment)
    return found


def _read_coverage(path: Path, errors: list[InputError]) -> list[CoverageRow]:
    found: list[CoverageRow] = []
    for line, row in _csv_rows(path, COVERAGE_COLUMNS, errors):
        field = _FieldReader(path.name, line, row, errors)
        coverage_row = CoverageRow(
            interval_start_utc=field.get("interval_start", _parse_instant),
            language=field.get("language", _non_empty),
            required=field.get("required", _parse_count),
            staffed=field.get("staffed", _parse_count),
        )
        if field.ok:
            found.append(coverage_row)
    return found


def _read_summary(path: Path, errors: list[InputError]) -> dict:
    if not path.is_file():
        errors.append(_missing_file(path))
        return {}
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as problem:
        line = getattr(problem, "lineno", None)
        errors.append(
            InputError(path.name, line, "", None, "a JSON object", f"is not valid JSON: {problem}")
        )
        return {}
    if not isinstance(summary, dict):
        errors.append(
            InputError(path.name, 1, "", None, "a JSON object", f"holds a {type(summary).__name__}")
        )
        return {}
    return summary


def _csv_rows(
    path: Path, columns: tuple[str, ...], errors: list[InputError]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file with their 1-based line numbers (header is line 1).

    Extra columns are allowed (the contract lets producers add them); missing
    ones are one error each and stop reading that file.
    """
    if not path.is_file():
        errors.append(_missing_file(path))
        return
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in columns if name not in header]
        for name in missing:
            errors.append(
                InputError(
                    path.name, 1, name, None, f"columns {','.join(columns)}", "missing column"
                )
            )
        if missing:
            return
        reader.fieldnames = header
        for row in reader:
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue  # blank line
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def _missing_file(path: Path) -> InputError:
    return InputError(
        path.name, None, "", None, f"a {path.name} in the roster folder", "missing file"
    )


class _FieldReader:
    """Parses the fields of one CSV row, collecting an error per bad field."""

    def __init__(self, file: str, line: int, row: dict[str, str], errors: list[InputError]):
        self.file, self.line, self.row, self.errors = file, line, row, errors
        self.ok = True

    def get(self, name: str, parse: Callable[[str], T]) -> T:
        value = self.row.get(name, "")
        try:
            return parse(value)
        except _BadValue as bad:
            self.ok = False
            self.errors.append(InputError(self.file, self.line, name, value, bad.expected))
            return None  # type: ignore[return-value]  # row is dropped when not ok


def _non_empty(value: str) -> str:
    if not value:
        raise _BadValue("a non-empty value")
    return value


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _BadValue("a date like 2027-03-14") from None


def _parse_aware(value: str, expected: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _BadValue(expected) from None
    if parsed.tzinfo is None:
        raise _BadValue(expected)
    return parsed


def _parse_utc(value: str) -> datetime:
    expected = "an ISO 8601 UTC time ending in Z, like 2027-03-14T07:00:00Z"
    if not value.endswith("Z"):
        raise _BadValue(expected)
    return _parse_aware(value, expected).astimezone(UTC)


def _parse_local(value: str) -> datetime:
    """A local time keeps its own offset: the checker compares the offset shown."""
    return _parse_aware(
        value, "an ISO 8601 local time with its offset, like 2027-03-14T08:00:00+01:00"
    )


def _parse_instant(value: str) -> datetime:
    expected = "an ISO 8601 time with Z or an offset, like 2027-03-14T07:00:00Z"
    return _parse_aware(value, expected).astimezone(UTC)


def _parse_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise _BadValue("a whole number >= 0") from None
    if count < 0:
        raise _BadValue("a whole number >= 0")
    return count
