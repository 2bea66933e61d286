"""What is wrong with a scenario, said so a planner can fix it without a debugger.

Every check appends to one ``Issues`` collection instead of raising, so a single
run lists every mistake in every file; the loader raises ``ScenarioErrors`` once
at the end.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time

FILE_ORDER = (
    "scenario.toml",
    "agents.csv",
    "forecast.csv",
    "required.csv",
    "time_off.csv",
    "history.csv",
    "preferences.csv",
)
REPORT_LIMIT_PER_KIND = 20
"""A wrong column format repeats on every row; the report shows this many of a kind."""


def show_value(value: object) -> str:
    """A value as a planner would recognise it from the file: strings quoted."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {show_value(item)}" for key, item in value.items()) + "}"
    return str(value)


@dataclass(frozen=True)
class InputError:
    """One mistake in one place of a scenario (or roster) folder.

    ``field`` is a CSV column or a TOML key path such as ``sites[2].timezone``;
    ``line`` is the 1-based physical line (a CSV header is line 1), or None when
    the mistake has no line (a missing file). With a ``value`` the ``problem`` reads
    as a verb phrase ("is not a site in scenario.toml"); without one, as a noun
    phrase ("missing column").
    """

    file: str
    line: int | None
    field: str
    value: object
    expected: str
    problem: str = "is not valid"

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    @property
    def subject(self) -> str:
        if not self.field:
            return ""
        kind = "column" if self.file.lower().endswith(".csv") else "key"
        return f"{kind} '{self.field}'"

    @property
    def kind(self) -> tuple[str, str, str]:
        """Errors of one kind differ only in line and value (a wrong date format)."""
        return (self.file, self.field, self.problem)

    def __str__(self) -> str:
        what = self.problem if self.value is None else f"{show_value(self.value)} {self.problem}"
        parts = [self.location, self.subject, f"{what} (expected {self.expected})"]
        return ": ".join(part for part in parts if part)


@dataclass
class Issues:
    """Errors (the scenario cannot be used) and warnings (it can, but look)."""

    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)

    def error(
        self,
        file: str,
        line: int | None,
        field: str,
        value: object,
        problem: str,
        expected: str,
    ) -> None:
        self.errors.append(InputError(file, line, field, value, expected, problem))

    def warn(
        self,
        file: str,
        line: int | None,
        field: str,
        value: object,
        problem: str,
        expected: str,
    ) -> None:
        self.warnings.append(InputError(file, line, field, value, expected, problem))


def sort_key(error: InputError) -> tuple[int, str, int]:
    """Files in the order a planner reads them, then by line (file-wide errors first)."""
    rank = FILE_ORDER.index(error.file) if error.file in FILE_ORDER else len(FILE_ORDER)
    return (rank, error.file, error.line or 0)


def report_lines(errors: list[InputError], limit: int = REPORT_LIMIT_PER_KIND) -> list[str]:
    """One line per error, at most ``limit`` of a kind, then how many more were left out."""
    ordered = sorted(errors, key=sort_key)
    totals = Counter(error.kind for error in ordered)
    shown: Counter[tuple[str, str, str]] = Counter()
    lines: list[str] = []
    for error in ordered:
        shown[error.kind] += 1
        if shown[error.kind] <= limit:
            lines.append(str(error))
        if shown[error.kind] == totals[error.kind] and totals[error.kind] > limit:
            more = totals[error.kind] - limit
            subject = f" {error.subject}" if error.subject else ""
            lines.append(f"... and {more} more like these in {error.file}{subject}")
    return lines


class ScenarioErrors(Exception):
    """A scenario folder with at least one error; ``errors`` holds every one of them."""

    def __init__(
        self,
        errors: list[InputError],
        source: str = "",
        warnings: list[InputError] | None = None,
    ) -> None:
        self.errors = sorted(errors, key=sort_key)
        self.warnings = sorted(warnings or [], key=sort_key)
        self.source = source
        super().__init__(self.count_line())

    def count_line(self) -> str:
        count = len(self.errors)
        where = f" in {self.source}" if self.source else ""
        return f"{count} error{'' if count == 1 else 's'}{where}; nothing was imported"

    def report(self) -> str:
        """Every error on its own line (long runs of one kind shortened), then the count."""
        return "\n".join([*report_lines(self.errors), self.count_line()])
