"""Writing an export to a file all at once: into a temporary file beside the target,
flushed to disk, then renamed over it. A full disk (or any write error) leaves the
target as it was (absent, or the earlier export whole) and no temporary file behind:
payroll never reads half a spreadsheet."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from scheduler.domain import Roster, Scenario
from scheduler.exports.hours import worked_hours
from scheduler.exports.spreadsheets import hours_csv, hours_xlsx, shifts_csv

EXCEL_BOM = "\ufeff"
"""CSV files start with a UTF-8 byte order mark, so Excel reads accents right."""

FORMATS = ("hours.xlsx", "hours.csv", "shifts.csv")


def export_bytes(scenario: Scenario, roster: Roster, what: str) -> bytes:
    """The export ``what`` (one of ``FORMATS``) as the bytes of its file."""
    if what == "hours.xlsx":
        return hours_xlsx(scenario, roster)
    if what == "hours.csv":
        return (EXCEL_BOM + hours_csv(worked_hours(scenario, roster))).encode("utf-8")
    if what == "shifts.csv":
        return (EXCEL_BOM + shifts_csv(scenario, roster)).encode("utf-8")
    raise ValueError(f"unknown export {what!r} (one of {', '.join(FORMATS)})")


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` in one step, or raise ``OSError`` having changed
    nothing."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
