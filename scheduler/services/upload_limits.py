"""What an import may hold, checked before anything is stored.

- Each uploaded file: at most ``MAX_UPLOAD_BYTES`` bytes and ``MAX_ROWS_PER_FILE``
  lines (``config.settings``, read at each upload); beyond them the upload is
  refused naming the file and the limit, before a line is parsed.
- Ids and names: no longer than the database columns that store them. SQLite
  stores any length, PostgreSQL refused a 300-character agent id with a 500; now
  it is an import error with file, line and field on every database.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy.orm import InstrumentedAttribute

from config import settings
from scheduler.imports.agents import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from scheduler.imports.errors import InputError, Issues
from scheduler.imports.loader import find_file
from scheduler.imports.tables import read_table
from scheduler.imports.toml_lines import TomlLines, key_path_text
from scheduler.storage import models as m

SETTINGS_FILE = "scenario.toml"
AGENTS_FILE = "agents.csv"
SCENARIO_TEXTS = (("name", m.PlanningPeriod.scenario_name),)
SITE_TEXTS = (("id", m.Site.code), ("name", m.Site.name))
SHIFT_TEXTS = (("id", m.ShiftTemplate.code),)
AGENT_TEXTS = (
    ("id", m.Agent.code),
    ("name", m.Agent.name),
    ("email", m.Agent.email),
    ("employee_number", m.Agent.employee_number),
)
SHOWN_CHARACTERS = 40
"""A value too long to store is shown cut to this many characters."""


def oversized_files(files: dict[str, bytes]) -> list[InputError]:
    """Files over the size or line limit, each named with the limit it broke."""
    errors = []
    for name, content in files.items():
        size_limit, row_limit = settings.MAX_UPLOAD_BYTES, settings.MAX_ROWS_PER_FILE
        if len(content) > size_limit:
            errors.append(
                InputError(
                    name,
                    None,
                    "",
                    None,
                    f"at most {_size_text(size_limit)} per file (SUNSHIFT_MAX_UPLOAD_BYTES)",
                    f"file of {_size_text(len(content))}, larger than the "
                    f"{_size_text(size_limit)} an uploaded file may have",
                )
            )
            continue
        lines = _line_count(content)
        if lines > row_limit:
            errors.append(
                InputError(
                    name,
                    None,
                    "",
                    None,
                    f"at most {row_limit:,} lines per file (SUNSHIFT_MAX_ROWS_PER_FILE)",
                    f"file of {lines:,} lines, more than the {row_limit:,} a file may have",
                )
            )
    return errors


def too_long_texts(folder: Path) -> list[InputError]:
    """Ids and names in scenario.toml and agents.csv longer than their columns."""
    return [*_toml_texts(folder), *_agent_texts(folder)]


def column_size(column: InstrumentedAttribute[Any]) -> int:
    return column.property.columns[0].type.length


def _toml_texts(folder: Path) -> list[InputError]:
    path = find_file(folder, SETTINGS_FILE)
    if path is None:
        return []
    try:
        text = path.read_bytes().decode("utf-8-sig")
        document = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return []  # the import reports these
    lines = TomlLines(text)
    places: list[tuple[tuple[str | int, ...], object, InstrumentedAttribute[Any]]] = [
        ((key,), document.get(key), column) for key, column in SCENARIO_TEXTS
    ]
    sites = document.get("sites")
    for i, site in enumerate(sites if isinstance(sites, list) else []):
        if not isinstance(site, dict):
            continue
        places += [(("sites", i, key), site.get(key), column) for key, column in SITE_TEXTS]
        shifts = site.get("shifts")
        for j, shift in enumerate(shifts if isinstance(shifts, list) else []):
            if isinstance(shift, dict):
                places += [
                    (("sites", i, "shifts", j, key), shift.get(key), column)
                    for key, column in SHIFT_TEXTS
                ]
    errors = []
    for path_, value, column in places:
        if isinstance(value, str) and len(value.strip()) > column_size(column):
            field = key_path_text(path_)
            errors.append(_too_long(SETTINGS_FILE, lines.line_of(path_), field, value, column))
    return errors


def _agent_texts(folder: Path) -> list[InputError]:
    path = find_file(folder, AGENTS_FILE)
    table = None if path is None else read_table(path, Issues(), REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    if table is None:
        return []
    errors = []
    for row in table.rows:
        for key, column in AGENT_TEXTS:
            value = row.get(key).strip()
            if len(value) > column_size(column):
                errors.append(_too_long(AGENTS_FILE, row.line, key, value, column))
    return errors


def _too_long(
    file: str, line: int | None, field: str, value: str, column: InstrumentedAttribute[Any]
) -> InputError:
    size = column_size(column)
    shown = value[:SHOWN_CHARACTERS] + "…"
    return InputError(
        file,
        line,
        field,
        shown,
        f"at most {size} characters",
        f"has {len(value)} characters, more than the {size} the database keeps",
    )


def _line_count(content: bytes) -> int:
    lines = max(content.count(b"\n"), content.count(b"\r"))
    return lines + (1 if content and not content.endswith((b"\n", b"\r")) else 0)


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    if size >= 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size} bytes"
