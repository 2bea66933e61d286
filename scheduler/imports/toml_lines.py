"""Line numbers of TOML keys, which ``tomllib`` does not report.

A small tolerant scanner maps key paths such as ``("sites", 2, "shifts", 1,
"hours")`` to the line they are written on, following ``[table]`` and
``[[array]]`` headers, dotted keys, inline tables and arrays over several lines.
It only ever runs on text ``tomllib`` already accepted; if it gets confused, a
key simply has no line (the error still names the key path).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

KeyPath = tuple[str | int, ...]

_STRUCTURAL = "[]{}=,.\n"


@dataclass(frozen=True)
class _Token:
    kind: str  # one of _STRUCTURAL, "text" (a string or bare word) or "end"
    text: str
    line: int


def key_path_text(path: KeyPath) -> str:
    """``("sites", 2, "timezone")`` -> ``sites[2].timezone``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class TomlLines:
    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        with contextlib.suppress(IndexError, ValueError):  # keep what was found before
            _Parser(_tokens(text), self._lines).document()

    def line_of(self, path: KeyPath) -> int | None:
        """The line of ``path``, else of its nearest enclosing key or table."""
        for length in range(len(path), 0, -1):
            line = self._lines.get(path[:length])
            if line is not None:
                return line
        return None


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    position, line = 0, 1
    while position < len(text):
        char = text[position]
        if char in " \t\r":
            position += 1
        elif char == "#":
            position = text.find("\n", position)
            position = len(text) if position < 0 else position
        elif char in _STRUCTURAL:
            found.append(_Token(char, char, line))
            line += char == "\n"
            position += 1
        elif char in "\"'":
            end = _string_end(text, position)
            found.append(_Token("text", _unquote(text[position:end]), line))
            line += text.count("\n", position, end)
            position = end
        else:
            match = re.compile(r"[^\s\[\]{}=,#\"']+").match(text, position)
            word = match.group(0) if match else char
            # bare keys cannot hold dots, but numbers, dates and times can
            if not re.fullmatch(r"[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*", word) or _is_value(word):
                found.append(_Token("text", word, line))
            else:
                for index, part in enumerate(word.split(".")):
                    if index:
                        found.append(_Token(".", ".", line))
                    found.append(_Token("text", part, line))
            position += len(word)
    found.append(_Token("end", "", line))
    return found


def _is_value(word: str) -> bool:
    return bool(re.fullmatch(r"[+-]?[\d_]+(\.[\d_]+)?([eE][+-]?\d+)?|\d{4}-\d\d-\d\d.*", word))


def _string_end(text: str, start: int) -> int:
    quote = text[start]
    if text.startswith(quote * 3, start):
        end = text.find(quote * 3, start + 3)
        return len(text) if end < 0 else end + 3
    position = start + 1
    while position < len(text) and text[position] not in (quote, "\n"):
        position += 2 if quote == '"' and text[position] == "\\" else 1
    return position + 1


def _unquote(literal: str) -> str:
    for quote in ('"""', "'''", '"', "'"):
        if literal.startswith(quote) and literal.endswith(quote) and len(literal) >= 2 * len(quote):
            return literal[len(quote) : -len(quote)]
    return literal


class _Parser:
    def __init__(self, tokens: list[_Token], lines: dict[KeyPath, int]) -> None:
        self.tokens = tokens
        self.at = 0
        self.lines = lines
        self.array_tables: dict[KeyPath, int] = {}

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.peek()
        self.at += 1
        return token

    def skip_newlines(self) -> None:
        while self.peek().kind == "\n":
            self.at += 1

    def document(self) -> None:
        prefix: KeyPath = ()
        while True:
            self.skip_newlines()
            token = self.peek()
            if token.kind == "end":
                return
            if token.kind == "[":
                prefix = self.header()
            else:
                self.key_value(prefix)
            while self.peek().kind not in ("\n", "end"):
                self.at += 1

    def header(self) -> KeyPath:
        line = self.take().line
        is_array = self.peek().kind == "["
        if is_array:
            self.at += 1
        names = self.key()
        path: KeyPath = ()
        for position, name in enumerate(names):
            path += (name,)
            self.lines.setdefault(path, line)
            if is_array and position == len(names) - 1:
                self.array_tables[path] = self.array_tables.get(path, -1) + 1
                self.lines.setdefault(path, line)
                path += (self.array_tables[path],)
            elif path in self.array_tables:
                path += (self.array_tables[path],)
        self.lines[path] = line
        return path

    def key(self) -> list[str]:
        names = [self.take().text]
        while self.peek().kind == ".":
            self.at += 1
            names.append(self.take().text)
        return names

    def key_value(self, prefix: KeyPath) -> None:
        line = self.peek().line
        path = prefix + tuple(self.key())
        if self.take().kind != "=":
            raise ValueError("not a key = value line")
        self.lines.setdefault(path, line)
        self.value(path)

    def value(self, path: KeyPath) -> None:
        token = self.take()
        if token.kind == "[":
            self.array(path)
        elif token.kind == "{":
            self.inline_table(path)

    def array(self, path: KeyPath) -> None:
        index = 0
        while True:
            self.skip_newlines()
            if self.peek().kind == "]":
                self.at += 1
                return
            self.lines.setdefault(path + (index,), self.peek().line)
            self.value(path + (index,))
            self.skip_newlines()
            separator = self.take()
            if separator.kind == "]":
                return
            if separator.kind != ",":
                raise ValueError("array elements must be separated by commas")
            index += 1

    def inline_table(self, path: KeyPath) -> None:
        while True:
            self.skip_newlines()
            if self.peek().kind == "}":
                self.at += 1
                return
            self.key_value(path)
            self.skip_newlines()
            separator = self.take()
            if separator.kind == "}":
                return
            if separator.kind != ",":
                raise ValueError("inline table entries must be separated by commas")
