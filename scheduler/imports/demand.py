"""forecast.csv and required.csv: demand per UTC interval and language.

Interval starts must carry an offset (a bare ``2027-03-08 09:00`` is ambiguous
across the sites' zones), sit on the horizon's interval grid and fall inside
its UTC window; a repeated row would double-count demand, so it is an error
that names the line it repeats.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from scheduler.domain import FORECAST_CHANNELS, ForecastRow, Horizon, RequiredRow
from scheduler.imports.errors import Issues
from scheduler.imports.tables import Cells, Table
from scheduler.imports.values import (
    INSTANT_EXPECTED,
    BadValue,
    language_code,
    text_instant_utc,
    text_number,
    text_whole_number,
)

FORECAST_COLUMNS = ("interval_start", "language", "channel", "volume", "aht_seconds")
REQUIRED_COLUMNS = ("interval_start", "language", "required")
CHANNEL_EXPECTED = "phone, chat, email or messaging"


def read_forecast(table: Table, horizon: Horizon | None, issues: Issues) -> list[ForecastRow]:
    rows: list[ForecastRow] = []
    first_line: dict[tuple[datetime, str, str], int] = {}
    interval_start = _interval_check(horizon)
    volume_check = _amount_check(table.decimal_comma, "contacts")
    aht_check = _amount_check(table.decimal_comma, "seconds")
    for row in table.rows:
        cells = Cells(table, row, issues)
        start_utc = cells.value("interval_start", interval_start, INSTANT_EXPECTED)
        language = cells.value("language", language_code, "a language code such as en")
        channel = cells.value("channel", _channel, CHANNEL_EXPECTED)
        volume = cells.value("volume", volume_check, "a number of contacts >= 0")
        aht = cells.value("aht_seconds", aht_check, "seconds > 0")
        if volume and aht == 0:
            cells.error(
                "aht_seconds",
                row.get("aht_seconds"),
                "is zero while the volume is not",
                "average handling seconds > 0 for a row with volume",
            )
            continue
        if None in (start_utc, language, channel, volume, aht):
            continue
        key = (start_utc, language, channel)
        if key in first_line:
            cells.error(
                "interval_start",
                row.get("interval_start"),
                f"repeats the {language} {channel} row on line {first_line[key]}",
                "one row per interval, language and channel",
            )
            continue
        first_line[key] = row.line
        rows.append(ForecastRow(start_utc, language, channel, volume, aht))
    return rows


def read_required(table: Table, horizon: Horizon | None, issues: Issues) -> list[RequiredRow]:
    rows: list[RequiredRow] = []
    first_line: dict[tuple[datetime, str], int] = {}
    interval_start = _interval_check(horizon)
    for row in table.rows:
        cells = Cells(table, row, issues)
        start_utc = cells.value("interval_start", interval_start, INSTANT_EXPECTED)
        language = cells.value("language", language_code, "a language code such as en")
        required = cells.value("required", _agents_needed, "a whole number of agents >= 0")
        if None in (start_utc, language, required):
            continue
        key = (start_utc, language)
        if key in first_line:
            cells.error(
                "interval_start",
                row.get("interval_start"),
                f"repeats the {language} row on line {first_line[key]}",
                "one row per interval and language",
            )
            continue
        first_line[key] = row.line
        rows.append(RequiredRow(start_utc, language, required))
    return rows


def _interval_check(horizon: Horizon | None) -> Callable[[str], datetime]:
    """Parse an interval start; with a valid horizon, also check grid and window."""
    if horizon is None:
        return text_instant_utc
    first_utc, end_utc, interval = horizon.start_utc, horizon.end_utc, horizon.interval
    window = f"[{_short(first_utc)}, {_short(end_utc)})"
    minutes = horizon.interval_minutes

    def check(text: str) -> datetime:
        start_utc = text_instant_utc(text)
        if not first_utc <= start_utc < end_utc:
            raise BadValue("is outside the horizon", f"an interval start in {window}")
        if (start_utc - first_utc) % interval:
            raise BadValue(
                f"is not on the {minutes}-minute interval grid",
                f"a start a multiple of {minutes} minutes after 00:00Z",
            )
        return start_utc

    return check


def _short(instant_utc: datetime) -> str:
    return instant_utc.strftime("%Y-%m-%dT%H:%MZ")


def _channel(text: str) -> str:
    channel = text.strip().lower()
    if channel not in FORECAST_CHANNELS:
        raise BadValue("is not a channel", CHANNEL_EXPECTED)
    return channel


def _amount_check(decimal_comma: bool, unit: str) -> Callable[[str], float]:
    def check(text: str) -> float:
        amount = text_number(text, decimal_comma)
        if amount < 0:
            raise BadValue("is negative", f"a number of {unit} >= 0")
        return amount

    return check


def _agents_needed(text: str) -> int:
    needed = text_whole_number(text)
    if needed < 0:
        raise BadValue("is negative", "a whole number of agents >= 0")
    return needed
