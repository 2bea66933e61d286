"""Parsers for single values of a scenario: each returns the value or raises
``BadValue`` saying what is wrong and what was expected, so the caller can
record it against the file, line and field it came from.

CSV cells arrive as text (possibly from Excel: decimal commas, ``en; de``);
TOML values arrive already typed, so their checks look at types.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time
from functools import lru_cache

import pycountry

DATE_EXPECTED = "a date written YYYY-MM-DD, such as 2027-03-08"
INSTANT_EXPECTED = "an ISO 8601 time with an offset or Z, such as 2027-03-08T09:30:00Z"
LANGUAGE_EXPECTED = "a two-letter ISO 639-1 language code, such as en, de or ja"
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_LIST_SEPARATORS = re.compile(r"[;,]")


class BadValue(ValueError):
    def __init__(self, problem: str, expected: str) -> None:
        super().__init__(f"{problem} (expected {expected})")
        self.problem = problem
        self.expected = expected


# --- text cells -----------------------------------------------------------------


def text_number(text: str, decimal_comma: bool = False) -> float:
    """A finite number; ``37,5`` too when the file uses ``;`` between cells (European Excel)."""
    cleaned = text.strip()
    if decimal_comma and _DECIMAL_COMMA.fullmatch(cleaned):
        cleaned = cleaned.replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        raise BadValue("is not a number", "a number such as 12 or 7.5") from None
    if not math.isfinite(number):
        raise BadValue("is not a finite number", "a number such as 12 or 7.5")
    return number


def text_whole_number(text: str) -> int:
    """A whole number; ``3.0`` (as spreadsheets sometimes write it) counts as 3."""
    try:
        number = float(text.strip())
    except ValueError:
        raise BadValue("is not a whole number", "a whole number such as 0, 1 or 12") from None
    if not math.isfinite(number) or not number.is_integer():
        raise BadValue("is not a whole number", "a whole number such as 0, 1 or 12")
    return int(number)


def text_date(text: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise BadValue("is not a date", DATE_EXPECTED)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadValue("is not a date", DATE_EXPECTED) from None


@lru_cache(maxsize=16_384)  # bounded: the texts come from uploads
def text_instant_utc(text: str) -> datetime:
    """An ISO 8601 instant with an offset, as an aware UTC datetime.

    Cached: a forecast repeats each interval start once per language and channel.
    """
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadValue("is not an ISO 8601 date and time", INSTANT_EXPECTED) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise BadValue("has no UTC offset", INSTANT_EXPECTED)
    return parsed.astimezone(UTC)


def text_list(text: str) -> list[str]:
    """Items of a ``;``-separated cell (``,`` also accepted inside a quoted cell)."""
    return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]


# --- languages ------------------------------------------------------------------


@lru_cache(maxsize=1024)
def is_language_code(code: str) -> bool:
    return len(code) == 2 and code.isalpha() and pycountry.languages.get(alpha_2=code) is not None


def language_code(raw: object) -> str:
    """A lowercase ISO 639-1 code; a three-letter code or an English name gets a hint."""
    if not isinstance(raw, str):
        raise BadValue("is not a language code", LANGUAGE_EXPECTED)
    code = raw.strip().lower()
    if is_language_code(code):
        return code
    hint = _language_hint(code)
    if hint:
        raise BadValue("is not an ISO 639-1 code", f"{LANGUAGE_EXPECTED}; did you mean {hint}?")
    raise BadValue("is not an ISO 639-1 code", LANGUAGE_EXPECTED)


@lru_cache(maxsize=1024)
def _language_hint(text: str) -> str:
    try:
        found = pycountry.languages.lookup(text)
    except LookupError:
        return ""
    alpha_2 = getattr(found, "alpha_2", "")
    return f"'{alpha_2}' ({found.name})" if alpha_2 else ""


# --- typed TOML values -----------------------------------------------------------


def toml_number(raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise BadValue("is not a number", "a number such as 20 or 0.8")
    return raw


def toml_whole_number(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise BadValue("is not a whole number", "a whole number such as 0, 1 or 6")
    return raw


def toml_text(raw: object) -> str:
    if not isinstance(raw, str):
        raise BadValue("is not text", 'a quoted string such as "dub"')
    return raw.strip()


def toml_bool(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise BadValue("is not true or false", "true or false, without quotes")
    return raw


def toml_date(raw: object) -> date:
    """A TOML date literal (``2027-03-08``); a quoted ISO date is accepted as well."""
    if isinstance(raw, datetime):
        raise BadValue("is a date and time", f"{DATE_EXPECTED}, without a time of day")
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        return text_date(raw)
    raise BadValue("is not a date", DATE_EXPECTED)


def toml_clock(raw: object) -> time:
    """A local wall-clock start written ``"HH:MM"`` (a TOML time ``07:00:00`` also works)."""
    if isinstance(raw, time):
        if raw.second or raw.microsecond or raw.tzinfo:
            raise BadValue("is not a whole minute", 'a local time "HH:MM" such as "07:00"')
        return raw
    match = _CLOCK.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise BadValue("is not a time of day", 'a local time "HH:MM" such as "07:00"')
    return time(int(match[1]), int(match[2]))


# --- ranges ---------------------------------------------------------------------


def positive(number: float, expected: str) -> float:
    if number <= 0:
        raise BadValue("is not positive", expected)
    return number


def not_negative(number: float, expected: str) -> float:
    if number < 0:
        raise BadValue("is negative", expected)
    return number


def within(number: float, low: float, high: float, *, low_open: bool, high_open: bool) -> float:
    """``number`` inside the interval, e.g. ``(0, 1]`` for ``low_open=True, high_open=False``."""
    expected = f"a number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    below = number <= low if low_open else number < low
    above = number >= high if high_open else number > high
    if below or above:
        raise BadValue("is out of range", expected)
    return number
