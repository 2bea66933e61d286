"""Typed reading of a parsed TOML document that records problems instead of raising.

A ``Section`` wraps one table of ``scenario.toml`` with its key path; reading a
key either returns its checked value or records an error with the key's line
and path and returns None. Keys never read are reported as warnings by
``warn_unknown_keys`` (the spec allows extra keys, but a typo such as
``max_consecutive_day`` should not pass unnoticed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from scheduler.imports.errors import Issues
from scheduler.imports.toml_lines import KeyPath, TomlLines, key_path_text
from scheduler.imports.values import BadValue

T = TypeVar("T")
REQUIRED: Any = object()
FILE = "scenario.toml"


@dataclass
class Section:
    data: dict[str, Any]
    path: KeyPath
    lines: TomlLines
    issues: Issues
    used: set[str] = field(default_factory=set)
    children: list[Section] = field(default_factory=list)

    def line_of(self, *keys: str | int) -> int | None:
        return self.lines.line_of(self.path + keys)

    def field_name(self, *keys: str | int) -> str:
        return key_path_text(self.path + keys)

    def error(
        self, keys: tuple[str | int, ...], value: object, problem: str, expected: str
    ) -> None:
        self.issues.error(
            FILE, self.line_of(*keys), self.field_name(*keys), value, problem, expected
        )

    def has(self, key: str) -> bool:
        return key in self.data

    def value(
        self,
        key: str,
        check: Callable[[Any], T],
        expected: str,
        default: T | None = REQUIRED,
    ) -> T | None:
        """The checked value of ``key``; None (and an error) if missing or wrong."""
        self.used.add(key)
        if key not in self.data:
            if default is REQUIRED:
                self.error((key,), None, "missing key", expected)
                return None
            return default
        return self.check(self.data[key], check, (key,))

    def check(self, raw: Any, check: Callable[[Any], T], keys: tuple[str | int, ...]) -> T | None:
        try:
            return check(raw)
        except BadValue as bad:
            self.error(keys, raw, bad.problem, bad.expected)
            return None

    def table(self, key: str, expected: str, required: bool = False) -> Section | None:
        """A sub-table; an empty one when it is optional and absent."""
        self.used.add(key)
        raw = self.data.get(key)
        if raw is None:
            if required:
                self.error((key,), None, "missing table", expected)
                return None
            raw = {}
        if not isinstance(raw, dict):
            self.error((key,), raw, "is not a table", expected)
            return None
        return self.child(raw, (key,))

    def tables(self, key: str, expected: str) -> list[Section] | None:
        """An array of tables (``[[sites]]`` or ``shifts = [{...}, ...]``), required."""
        self.used.add(key)
        raw = self.data.get(key)
        if raw is None:
            self.error((key,), None, "missing array", expected)
            return None
        if not isinstance(raw, list) or not raw:
            self.error((key,), raw, "is not a non-empty array of tables", expected)
            return None
        found = []
        for index, item in enumerate(raw):
            if isinstance(item, dict):
                found.append(self.child(item, (key, index)))
            else:
                self.error((key, index), item, "is not a table", expected)
        return found

    def items(self, key: str, expected: str) -> list[tuple[int, Any]]:
        """Elements of an optional array, with their indexes (for error paths)."""
        self.used.add(key)
        raw = self.data.get(key, [])
        if not isinstance(raw, list):
            self.error((key,), raw, "is not an array", expected)
            return []
        return list(enumerate(raw))

    def child(self, data: dict[str, Any], keys: tuple[str | int, ...]) -> Section:
        section = Section(data, self.path + keys, self.lines, self.issues)
        self.children.append(section)
        return section

    def warn_unknown_keys(self) -> None:
        for key, raw in self.data.items():
            if key not in self.used:
                self.issues.warn(
                    FILE,
                    self.line_of(key),
                    self.field_name(key),
                    raw,
                    "is not a key sunshift reads; ignored",
                    "a key listed in docs/scenario-format.md; check the spelling",
                )
        for section in self.children:
            section.warn_unknown_keys()
