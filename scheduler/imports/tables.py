"""Read a scenario CSV the way planners actually produce them: from Excel.

Accepted without complaint: a UTF-8 byte-order mark, CRLF line endings, blank
or all-empty lines, spaces around cells, header names in any case or with
spaces (``Hours per week``), and European Excel files whose cells are separated
by ``;`` (then ``37,5`` is read as 37.5). Non-UTF-8 text (Excel's "CSV (Comma
delimited)" on Windows) is read as Windows-1252 with a warning. Lines are
physical lines of the file, the header being line 1, so they match an editor.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from scheduler.imports.errors import Issues
from scheduler.imports.values import BadValue

T = TypeVar("T")

_HEADER_SPACING = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Table:
    file: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    decimal_comma: bool

    def has(self, column: str) -> bool:
        return column in self.columns


@dataclass(frozen=True)
class Cells:
    """The cells of one row, read with checks that record errors against row and column."""

    table: Table
    row: Row
    issues: Issues

    def value(
        self, column: str, check: Callable[[str], T], expected: str, required: bool = True
    ) -> T | None:
        """The checked cell; None if empty, wrong (an error) or its column is missing."""
        if not self.table.has(column):
            return None
        text = self.row.get(column)
        if not text:
            if required:
                self.error(column, None, "empty cell", expected)
            return None
        try:
            return check(text)
        except BadValue as bad:
            self.error(column, text, bad.problem, bad.expected)
            return None

    def error(self, column: str, value: object, problem: str, expected: str) -> None:
        self.issues.error(self.table.file, self.row.line, column, value, problem, expected)

    def warn(self, column: str, value: object, problem: str, expected: str) -> None:
        self.issues.warn(self.table.file, self.row.line, column, value, problem, expected)


def header_name(raw: str, known: Iterable[str] = ()) -> str:
    """``' Hours per week '`` -> ``hours_per_week``; ``E-mail`` -> ``email`` if that is known."""
    name = _HEADER_SPACING.sub("_", raw.replace("\ufeff", "").strip().lower())
    squashed = _squash(name)
    return next((column for column in known if _squash(column) == squashed), name)


def _squash(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name)


def decode(data: bytes, file: str, issues: Issues) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        line = data[: bad.start].count(b"\n") + 1
        issues.warn(
            file,
            line,
            "",
            None,
            "text is not UTF-8 and was read as Windows-1252",
            "UTF-8 (in Excel: Save As 'CSV UTF-8')",
        )
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """``,`` as the spec says, unless the header has none but has ``;`` or tabs."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    if "," in header:
        return ","
    if ";" in header:
        return ";"
    if "\t" in header:
        return "\t"
    return ","


def read_table(
    path: Path,
    issues: Issues,
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> Table | None:
    """The rows of a CSV file, or None if it cannot be read at all.

    Missing required columns are errors; rows are still returned so the other
    columns get checked too. Unknown columns are warnings (the spec allows them).
    """
    file = path.name
    try:
        text = decode(path.read_bytes(), file, issues)
    except OSError as failure:
        issues.error(file, None, "", None, f"unreadable file ({failure})", "a readable file")
        return None
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line = 0
    rows: list[Row] = []
    last_line = 0
    try:
        for cells in reader:
            first_line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [header_name(cell, [*required, *optional]) for cell in cells]
                header_line = first_line
                continue
            row = _row(file, header, cells, first_line, last_line, issues)
            if row is not None:
                rows.append(row)
    except csv.Error as failure:
        issues.error(
            file, reader.line_num, "", None, f"unreadable CSV ({failure})", "comma-separated text"
        )
        return None
    if header is None:
        issues.error(file, None, "", None, "empty file", "a header line and one row per record")
        return None
    columns = _check_header(file, header, header_line, required, optional, issues)
    return Table(file, columns, tuple(rows), decimal_comma=delimiter != ",")


def _check_header(
    file: str,
    header: list[str],
    line: int,
    required: Sequence[str],
    optional: Sequence[str],
    issues: Issues,
) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if not name:
            continue
        if name in seen:
            issues.error(
                file,
                line,
                name,
                None,
                f"column appears twice (columns {seen[name]} and {position})",
                "each column once",
            )
        seen.setdefault(name, position)
    for name in required:
        if name not in seen:
            issues.error(
                file,
                line,
                name,
                None,
                "missing column",
                f"a header with the columns {', '.join(required)}",
            )
    known = set(required) | set(optional)
    for name in seen:
        if name not in known:
            issues.warn(
                file,
                line,
                name,
                None,
                "unknown column, ignored",
                f"only {', '.join([*required, *optional])} are read",
            )
    return tuple(seen)


def _row(
    file: str,
    header: list[str],
    cells: list[str],
    first_line: int,
    last_line: int,
    issues: Issues,
) -> Row | None:
    if last_line > first_line:
        issues.error(
            file,
            first_line,
            "",
            None,
            f"a quoted cell runs over lines {first_line}-{last_line}",
            'a closing " on the same line',
        )
        return None
    extra = [cell.strip() for cell in cells[len(header) :] if cell.strip()]
    nameless = [
        cell.strip() for name, cell in zip(header, cells, strict=False) if not name and cell.strip()
    ]
    if extra or nameless:
        issues.error(
            file,
            first_line,
            "",
            (extra + nameless)[0],
            "is in a cell without a column name",
            "no more cells than header columns (quote a cell that contains the separator)",
        )
    values: dict[str, str] = {}
    for name, cell in zip(header, cells, strict=False):
        if name and name not in values:
            values[name] = cell.strip()
    return Row(first_line, values)
