"""A second period that follows a scenario folder's: same agents and sites, the
horizon moved on by its own length, forecast and time off moved with it."""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path


def next_period_folder(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` with every date moved by the horizon's length."""
    shutil.copytree(source, target)
    toml = (target / "scenario.toml").read_text()
    start = date.fromisoformat(re.search(r"start = (\d{4}-\d\d-\d\d)", toml).group(1))
    days = int(re.search(r"days = (\d+)", toml).group(1))
    step = timedelta(days=days)
    toml = toml.replace(f"start = {start}", f"start = {start + step}", 1)
    toml = re.sub(r'name = "([^"]*)"', r'name = "\1, next"', toml, count=1)
    (target / "scenario.toml").write_text(toml)
    _move(target / "forecast.csv", "interval_start", step, instant=True)
    _move(target / "required.csv", "interval_start", step, instant=True)
    _move(target / "time_off.csv", "start_date", step)
    _move(target / "time_off.csv", "end_date", step)
    return target


def _move(path: Path, column: str, step: timedelta, instant: bool = False) -> None:
    if not path.exists():
        return
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    if not rows:
        return
    for row in rows:
        if instant:
            moved = datetime.fromisoformat(row[column].replace("Z", "+00:00")) + step
            row[column] = moved.isoformat().replace("+00:00", "Z")
        else:
            row[column] = (date.fromisoformat(row[column]) + step).isoformat()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())
