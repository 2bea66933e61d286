"""``[[sites]]`` of scenario.toml: where agents sit, their calendar and shifts.

A site's zone, country and subdivision are checked against the tz database
and the holidays library here, so a typo cannot silently give Berlin agents
Bavarian holidays or UTC shifts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from zoneinfo import available_timezones

from calendars.public_holidays import is_known_country, is_known_subdivision, supported_subdivisions
from calendars.zones import is_known_zone
from scheduler.domain import REGIONS, Rules, ShiftTemplate, Site
from scheduler.imports.toml_sections import Section
from scheduler.imports.values import (
    BadValue,
    not_negative,
    positive,
    toml_bool,
    toml_clock,
    toml_date,
    toml_number,
    toml_text,
    toml_whole_number,
)

SHIFT_EXPECTED = '{ id = "early", start = "07:00", hours = 8 }'
MAX_SHIFT_HOURS = 24


@dataclass(frozen=True)
class SiteDeclarations:
    """Site ids and their shift ids as written, even where the site has other errors.

    Agents are checked against these, so one wrong time zone does not also turn
    every agent of that site into an "unknown site" error.
    """

    shift_ids: dict[str, tuple[str, ...]]

    def site_ids(self) -> tuple[str, ...]:
        return tuple(self.shift_ids)


def read_rules(section: Section, base: Rules) -> Rules:
    """``base`` with the values this table sets (wrong ones are recorded, base kept)."""
    min_rest_hours = section.value(
        "min_rest_hours",
        lambda raw: not_negative(toml_number(raw), "hours >= 0"),
        "hours >= 0",
        base.min_rest_hours,
    )
    max_consecutive_days = section.value(
        "max_consecutive_days",
        lambda raw: positive(toml_whole_number(raw), "a whole number of days >= 1"),
        "a whole number of days >= 1",
        base.max_consecutive_days,
    )
    min_days_off = section.value(
        "min_days_off_per_week",
        _days_off_per_week,
        "a whole number of days from 0 to 7",
        base.min_days_off_per_week,
    )
    holidays_worked = section.value(
        "work_on_public_holidays", toml_bool, "true or false", base.work_on_public_holidays
    )
    start_spread = section.value(
        "max_start_time_spread_hours",
        _start_spread_hours,
        START_SPREAD_EXPECTED,
        base.max_start_time_spread_hours,
    )
    return replace(
        base,
        max_start_time_spread_hours=(
            base.max_start_time_spread_hours if start_spread is None else start_spread
        ),
        min_rest_hours=base.min_rest_hours if min_rest_hours is None else min_rest_hours,
        max_consecutive_days=max_consecutive_days or base.max_consecutive_days,
        min_days_off_per_week=base.min_days_off_per_week if min_days_off is None else min_days_off,
        work_on_public_holidays=(
            base.work_on_public_holidays if holidays_worked is None else holidays_worked
        ),
    )


START_SPREAD_EXPECTED = "hours from 0 to 12 (how far start times may move within 7 days)"


def _start_spread_hours(raw: object) -> float:
    hours = not_negative(toml_number(raw), START_SPREAD_EXPECTED)
    if hours > 12:
        raise BadValue(
            "is more than 12 (any two clock times are at most 12 h apart)", START_SPREAD_EXPECTED
        )
    return hours


def _days_off_per_week(raw: object) -> int:
    days = not_negative(toml_whole_number(raw), "a whole number of days from 0 to 7")
    if days > 7:
        raise BadValue("is more than 7", "a whole number of days from 0 to 7")
    return days


def read_sites(top: Section, default_rules: Rules) -> tuple[list[Site], SiteDeclarations | None]:
    sections = top.tables("sites", "at least one [[sites]] table with id, region, timezone, ...")
    if sections is None:
        return [], None
    sites: list[Site] = []
    shift_ids: dict[str, tuple[str, ...]] = {}
    first_line: dict[str, int | None] = {}
    for section in sections:
        site_id = section.value("id", _identifier, 'a site id such as "dub"')
        if site_id is not None and site_id in first_line:
            section.error(
                ("id",),
                site_id,
                f"repeats the site id on line {first_line[site_id]}",
                "a unique site id",
            )
            site_id = None
        if site_id is not None:
            first_line[site_id] = section.line_of("id")
        site, declared_shifts = _read_site(section, site_id, default_rules)
        if site_id is not None:
            shift_ids[site_id] = declared_shifts
        if site is not None:
            sites.append(site)
    return sites, SiteDeclarations(shift_ids)


def _read_site(
    section: Section, site_id: str | None, default_rules: Rules
) -> tuple[Site | None, tuple[str, ...]]:
    name = section.value("name", toml_text, "the site's name", default=site_id or "")
    region = section.value("region", _region, f"one of {', '.join(REGIONS)}")
    country = section.value("country", _country, "an ISO 3166-1 alpha-2 country code")
    subdivision = section.value("subdivision", toml_text, "a subdivision code", default="")
    if country is not None and subdivision:
        subdivision = section.check(subdivision, _subdivision_of(country), ("subdivision",))
    timezone = section.value("timezone", _zone, 'an IANA time zone such as "Europe/Dublin"')
    extra_holidays = _extra_holidays(section)
    shifts, declared = _read_shifts(section)
    rules_section = section.table("rules", "a [sites.rules] table of rule overrides")
    rules = read_rules(rules_section, default_rules) if rules_section else default_rules
    values = (site_id, name, region, country, subdivision, timezone, extra_holidays, shifts)
    if any(value is None for value in values):
        return None, declared
    site = Site(
        id=site_id,
        name=name or site_id,
        region=region,
        country=country,
        subdivision=subdivision,
        timezone=timezone,
        shifts=tuple(shifts),
        rules=rules,
        extra_holidays=tuple(extra_holidays),
    )
    return site, declared


def _read_shifts(section: Section) -> tuple[list[ShiftTemplate] | None, tuple[str, ...]]:
    """The site's shift templates (None if any is wrong) and every id declared."""
    shift_sections = section.tables("shifts", f"an array of shifts like [{SHIFT_EXPECTED}]")
    if shift_sections is None:
        return None, ()
    shifts: list[ShiftTemplate] = []
    first_line: dict[str, int | None] = {}
    complete = len(shift_sections) == len(section.data["shifts"])
    for shift in shift_sections:
        shift_id = shift.value("id", _identifier, 'a shift id such as "early"')
        if shift_id is not None and shift_id in first_line:
            shift.error(
                ("id",),
                shift_id,
                f"repeats the shift id on line {first_line[shift_id]}",
                "shift ids unique within a site",
            )
            shift_id = None
        elif shift_id is not None:
            first_line[shift_id] = shift.line_of("id")
        start = shift.value("start", toml_clock, 'a local start time "HH:MM"')
        hours = shift.value("hours", _shift_hours, "hours > 0 and <= 24")
        if shift_id is None or start is None or hours is None:
            complete = False
            continue
        shifts.append(ShiftTemplate(id=shift_id, start=start, hours=hours))
    return (shifts if complete else None), tuple(first_line)


def _shift_hours(raw: object) -> float:
    hours = positive(toml_number(raw), f"hours > 0 and <= {MAX_SHIFT_HOURS}")
    if hours > MAX_SHIFT_HOURS:
        raise BadValue(f"is more than {MAX_SHIFT_HOURS}", f"hours > 0 and <= {MAX_SHIFT_HOURS}")
    return hours


def _extra_holidays(section: Section) -> list[date] | None:
    days: list[date] = []
    complete = True
    for index, raw in section.items("extra_holidays", "an array of dates like [2027-03-18]"):
        day = section.check(raw, toml_date, ("extra_holidays", index))
        if day is None:
            complete = False
        elif day not in days:
            days.append(day)
    if section.has("extra_holidays") and not isinstance(section.data["extra_holidays"], list):
        complete = False
    return days if complete else None


def _identifier(raw: object) -> str:
    text = toml_text(raw)
    if not text:
        raise BadValue("is empty", "a non-empty id")
    if any(separator in text for separator in ";,"):
        raise BadValue("contains ';' or ','", "an id without ';' or ',' (they separate lists)")
    return text


def _region(raw: object) -> str:
    region = toml_text(raw).upper()
    if region not in REGIONS:
        raise BadValue("is not a region", f"one of {', '.join(REGIONS)}")
    return region


def _country(raw: object) -> str:
    country = toml_text(raw).upper()
    if not is_known_country(country):
        raise BadValue(
            "is not a country the holidays library knows",
            'an ISO 3166-1 alpha-2 code such as "IE", "DE" or "JP"',
        )
    return country


def _subdivision_of(country: str):
    def check(raw: str) -> str:
        for candidate in (raw, raw.upper()):
            if is_known_subdivision(country, candidate):
                return candidate
        known = supported_subdivisions(country) or ()
        listed = ", ".join(known[:40]) + (", ..." if len(known) > 40 else "")
        expected = f"one of {listed}" if known else f'"" ({country} has no subdivisions)'
        raise BadValue(f"is not a subdivision of {country} the holidays library knows", expected)

    return check


def _zone(raw: object) -> str:
    zone = toml_text(raw)
    if is_known_zone(zone):
        return zone
    hint = _zone_by_lowercase().get(zone.lower())
    expected = 'an IANA time zone such as "Europe/Dublin"'
    if hint:
        expected += f'; did you mean "{hint}"?'
    raise BadValue("is not an IANA time zone", expected)


@cache
def _zone_by_lowercase() -> dict[str, str]:
    return {zone.lower(): zone for zone in available_timezones()}
