"""What the planner pages show of a scenario and a roster, from domain objects (no Flask).

Views stay thin: they call these functions and hand the plain results to a
template, so the figures can be tested without a request.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pendulum

from calendars.public_holidays import site_holidays
from calendars.zones import utc_offset_changes
from scheduler.domain import Agent, Roster, Scenario, Site
from scheduler.requirements import RequirementTable
from solver.rules.weekly_hours import reachable_minutes


@dataclass(frozen=True)
class ShiftLine:
    id: str
    start: str
    end: str
    hours: float


@dataclass(frozen=True)
class SiteSummary:
    site: Site
    offset_at_start: str
    offset_now: str
    offset_changes: tuple[tuple[date, str], ...]
    """(local date, new offset) for each DST change inside the horizon."""
    holidays: tuple[tuple[date, str], ...]
    agent_count: int
    shifts: tuple[ShiftLine, ...]

    @property
    def place(self) -> str:
        site = self.site
        return f"{site.country}-{site.subdivision}" if site.subdivision else site.country


@dataclass(frozen=True)
class LanguageSummary:
    """Who can cover a language against what it needs: scarce languages show here
    before any solve (their gaps are then mostly unavoidable)."""

    code: str
    always_on: bool
    speakers_by_site: dict[str, int]
    speakers: int
    speaker_hours_per_week: float
    """Contract hours of everyone who speaks it (each also serves his other languages)."""
    required_hours_per_week: float
    peak_required: int
    reachable_hours_per_week: float = 0.0
    """The hours their shifts can add up to in a week within their contracts and days off
    (8.5-hour shifts reach 34 of 40 contract hours): what rosters can really use."""

    @property
    def supply_ratio(self) -> float | None:
        """Reachable speaker hours over required hours; below 1 no roster can cover it."""
        if not self.required_hours_per_week:
            return None
        return self.reachable_hours_per_week / self.required_hours_per_week


@dataclass(frozen=True)
class CoverageSummary:
    code: str
    required_hours: float
    covered_hours: float
    shortfall_hours: float
    short_intervals: int
    floor_gaps: int

    @property
    def covered_share(self) -> float:
        return self.covered_hours / self.required_hours if self.required_hours else 1.0


def format_offset(offset: timedelta | None) -> str:
    """``+05:30``, ``-04:00``, ``+00:00``: how planners read a zone's offset."""
    minutes = int((offset or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def _offset_at(zone: str, instant_utc: datetime) -> str:
    return format_offset(pendulum.instance(instant_utc).in_timezone(zone).utcoffset())


def _shift_lines(site: Site) -> tuple[ShiftLine, ...]:
    lines = []
    for template in site.shifts:
        end = datetime.combine(date(2000, 1, 1), template.start) + template.duration
        lines.append(
            ShiftLine(template.id, f"{template.start:%H:%M}", f"{end:%H:%M}", template.hours)
        )
    return tuple(lines)


def site_summaries(scenario: Scenario, now_utc: datetime) -> list[SiteSummary]:
    horizon = scenario.horizon
    first, last = horizon.dates[0], horizon.dates[-1]
    years = {first.year, last.year}
    agents_at = Counter(agent.site_id for agent in scenario.agents)
    found = []
    for site in scenario.sites:
        holidays = site_holidays(site.country, site.subdivision, years, site.extra_holidays)
        changes = tuple(
            (day, _offset_at(site.timezone, datetime.combine(day + timedelta(days=1), time(), UTC)))
            for day in utc_offset_changes(site.timezone, first, last)
        )
        found.append(
            SiteSummary(
                site=site,
                offset_at_start=_offset_at(site.timezone, horizon.start_utc),
                offset_now=_offset_at(site.timezone, now_utc),
                offset_changes=changes,
                holidays=tuple(sorted((d, n) for d, n in holidays.items() if first <= d <= last)),
                agent_count=agents_at[site.id],
                shifts=_shift_lines(site),
            )
        )
    return found


def weekly_reachable_hours(agent: Agent, site: Site) -> float:
    """The most hours the agent's allowed shifts add up to in a 7-day block within his
    contract, one shift a date and his site's days off (solver.rules.weekly_hours): with
    8.5-hour shifts and two days off a 40-hour contract reaches 34."""
    lengths = {
        round(template.hours * 60) for template in site.shifts if template.id in agent.shift_ids
    }
    days = 7 - min(7, site.rules.min_days_off_per_week)
    return reachable_minutes([lengths] * 7, round(agent.hours_per_week * 60), days) / 60


def language_summaries(scenario: Scenario, table: RequirementTable) -> list[LanguageSummary]:
    hours_per_interval = scenario.horizon.interval_minutes / 60
    weeks = scenario.horizon.days / 7
    sites = {site.id: site for site in scenario.sites}
    by_site: dict[str, Counter[str]] = defaultdict(Counter)
    hours: Counter[str] = Counter()
    reachable: Counter[str] = Counter()
    for agent in scenario.agents:
        usable = weekly_reachable_hours(agent, sites[agent.site_id])
        for code in agent.languages:
            by_site[code][agent.site_id] += 1
            hours[code] += agent.hours_per_week
            reachable[code] += usable
    summaries = []
    for code in sorted(set(scenario.languages) | set(by_site)):
        needed = table.required.get(code, ())
        summaries.append(
            LanguageSummary(
                code=code,
                always_on=code in scenario.coverage.always_on,
                speakers_by_site=dict(by_site[code]),
                speakers=sum(by_site[code].values()),
                speaker_hours_per_week=hours[code],
                required_hours_per_week=sum(needed) * hours_per_interval / weeks,
                peak_required=max(needed, default=0),
                reachable_hours_per_week=reachable[code],
            )
        )
    return summaries


def coverage_summaries(scenario: Scenario, roster: Roster) -> list[CoverageSummary]:
    """Per language: hours required and covered, shortfall and always-on floor gaps."""
    hours_per_interval = scenario.horizon.interval_minutes / 60
    floor = scenario.coverage.min_agents
    always_on = set(scenario.coverage.always_on)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in roster.coverage:
        entry = totals[row.language]
        entry[0] += row.required
        entry[1] += min(row.required, row.staffed)
        entry[2] += row.staffed < row.required
        entry[3] += row.language in always_on and row.staffed < floor
    return [
        CoverageSummary(
            code=code,
            required_hours=required * hours_per_interval,
            covered_hours=covered * hours_per_interval,
            shortfall_hours=(required - covered) * hours_per_interval,
            short_intervals=short,
            floor_gaps=gaps,
        )
        for code, (required, covered, short, gaps) in sorted(totals.items())
    ]
