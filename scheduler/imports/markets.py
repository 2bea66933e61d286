"""``[markets]`` of scenario.toml (an extension beyond the v1.1 contract).

Each ``[markets.<language>]`` table says which countries a language's demand
comes from (with shares), how a public holiday there changes it, and which
service targets its customers are promised where they differ from the
scenario's. Every key is optional; a scenario without the table means exactly
what it meant before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from scheduler.domain import EmailService, Market, Markets, QueueService
from scheduler.imports.sites import _country, _zone
from scheduler.imports.toml_sections import Section
from scheduler.imports.values import (
    BadValue,
    language_code,
    not_negative,
    toml_date,
    toml_number,
)

SHARE_TOLERANCE = 1e-6
FACTOR_EXPECTED = "a factor >= 0, such as 0.3 (demand on the day x 0.3)"
COUNTRIES_EXPECTED = "a table of country shares summing to 1, such as { DE = 0.8, AT = 0.2 }"
MAX_MARKET_DATES = 366
"""At most this many listed dates per market (a year of them)."""

QueueReader = Callable[[Section, str, QueueService], QueueService | None]
DeferredReader = Callable[[Section, EmailService], EmailService | None]


def read_markets(
    top: Section,
    services: dict[str, QueueService | EmailService | None],
    read_queue: QueueReader,
    read_deferred: DeferredReader,
) -> Markets | None:
    """The markets table; None when something in it is wrong (each error recorded).

    ``services`` holds the scenario's own targets per channel, which a market's
    tables are merged over (a market may change only ``answer_seconds``).
    """
    if not top.has("markets"):
        top.used.add("markets")
        return Markets()
    section = top.table("markets", "a [markets] table of [markets.<language>] tables")
    if section is None:
        return None
    default_factor = section.value("holiday_factor", _factor, FACTOR_EXPECTED, 1.0)
    complete = default_factor is not None
    found: list[Market] = []
    for key in sorted(k for k in section.data if k != "holiday_factor"):
        language = section.check(key, language_code, (key,))
        child = section.table(key, f"a [markets.{key}] table")
        if language is None or child is None:
            complete = False
            continue
        market = _read_market(
            child, language, default_factor or 1.0, services, read_queue, read_deferred
        )
        if market is None:
            complete = False
        else:
            found.append(market)
    return Markets(tuple(found)) if complete else None


def _read_market(
    section: Section,
    language: str,
    default_factor: float,
    services: dict[str, QueueService | EmailService | None],
    read_queue: QueueReader,
    read_deferred: DeferredReader,
) -> Market | None:
    countries = _read_countries(section)
    timezones = _read_timezones(section)
    factor = section.value("holiday_factor", _factor, FACTOR_EXPECTED, default_factor)
    listed = _read_listed(section)
    targets: dict[str, QueueService | EmailService | None] = {}
    complete = None not in (countries, timezones, factor, listed)
    for channel in ("phone", "chat", "email", "messaging"):
        if not section.has(channel):
            targets[channel] = None
            continue
        child = section.table(channel, f"a [markets.{language}.{channel}] table")
        base = services.get(channel)
        if child is None or base is None:
            complete = False
            continue
        if isinstance(base, QueueService):
            targets[channel] = read_queue(child, channel, base)
        else:
            targets[channel] = read_deferred(child, base)
        complete = complete and targets[channel] is not None
    if not complete:
        return None
    return Market(
        language=language,
        countries=countries or (),
        timezones=timezones or (),
        holiday_factor=factor,
        holiday_factors=listed or (),
        phone=targets["phone"],
        chat=targets["chat"],
        email=targets["email"],
        messaging=targets["messaging"],
    )


def _factor(raw: object) -> float:
    return not_negative(toml_number(raw), FACTOR_EXPECTED)


def _share(raw: object) -> float:
    share = toml_number(raw)
    if not 0 < share <= 1:
        raise BadValue("is out of range", "a share in (0, 1], such as 0.8")
    return share


def _read_countries(section: Section) -> tuple[tuple[str, float], ...] | None:
    section.used.add("countries")
    raw = section.data.get("countries", {})
    if not isinstance(raw, dict):
        section.error(("countries",), raw, "is not a table", COUNTRIES_EXPECTED)
        return None
    found: list[tuple[str, float]] = []
    complete = True
    for key, value in raw.items():
        country = section.check(key, _country, ("countries", key))
        share = section.check(value, _share, ("countries", key))
        if country is None or share is None:
            complete = False
        elif country in dict(found):
            section.error(("countries", key), key, "names a country twice", "each country once")
            complete = False
        else:
            found.append((country, share))
    if not complete:
        return None
    total = sum(share for _, share in found)
    if found and abs(total - 1) > SHARE_TOLERANCE:
        section.error(("countries",), raw, f"has shares summing to {total:g}", COUNTRIES_EXPECTED)
        return None
    return tuple(found)


def _read_timezones(section: Section) -> tuple[tuple[str, str], ...] | None:
    section.used.add("timezones")
    raw = section.data.get("timezones", {})
    expected = 'a table of zones by country, such as { US = "America/Chicago" }'
    if not isinstance(raw, dict):
        section.error(("timezones",), raw, "is not a table", expected)
        return None
    written = section.data.get("countries", {})
    named = {str(key).strip().upper() for key in written} if isinstance(written, dict) else None
    found: list[tuple[str, str]] = []
    complete = True
    for key, value in raw.items():
        country = section.check(key, _country, ("timezones", key))
        zone = section.check(value, _zone, ("timezones", key))
        if country is not None and named is not None and country not in named:
            section.error(
                ("timezones", key), key, "is not in countries", "a country listed in countries"
            )
            country = None
        if country is None or zone is None:
            complete = False
        else:
            found.append((country, zone))
    return tuple(found) if complete else None


def _read_listed(section: Section) -> tuple[tuple[date, float], ...] | None:
    section.used.add("holiday_factors")
    raw = section.data.get("holiday_factors", {})
    expected = 'a table of factors by date, such as { "2026-12-24" = 0.5 }'
    if not isinstance(raw, dict):
        section.error(("holiday_factors",), raw, "is not a table", expected)
        return None
    if len(raw) > MAX_MARKET_DATES:
        section.error(
            ("holiday_factors",),
            None,
            f"lists {len(raw)} dates",
            f"at most {MAX_MARKET_DATES} dates per market",
        )
        return None
    found: list[tuple[date, float]] = []
    complete = True
    for key, value in raw.items():
        day = section.check(key, toml_date, ("holiday_factors", key))
        factor = section.check(value, _factor, ("holiday_factors", key))
        if day is None or factor is None:
            complete = False
        else:
            found.append((day, factor))
    return tuple(sorted(found)) if complete else None
