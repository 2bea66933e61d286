"""Hours worked per agent and 7-day block, split into the categories payroll pays extra for.

Definitions (see docs/exports.md):

- A shift belongs to the block of the local date it starts on, as the contract
  hour limit counts it, so ``worked`` of a block is the sum of its shifts' real
  lengths (a 9-hour night across the fall-back change is 9 hours).
- Night, weekend and holiday hours are counted by the local date and time at
  which each hour is worked at the agent's site, not by the shift's start
  date: a Friday 23:00-07:00 shift has one Friday night hour and seven
  Saturday hours. Night is local 22:00-06:00; weekend is local Saturday and
  Sunday; a holiday is a public holiday of the site (its subdivision's
  calendar plus the site's extra company days off).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from calendars.public_holidays import site_holidays
from scheduler.domain import Assignment, Roster, Scenario, Site
from scheduler.exports.local_clock import LocalPiece, split_by_local_clock

NIGHT_STARTS = time(22, 0)
NIGHT_ENDS = time(6, 0)
WEEKEND_WEEKDAYS = (5, 6)  # Saturday, Sunday


@dataclass(frozen=True)
class HolidayHours:
    """Hours worked on one public holiday's local date."""

    day: date
    name: str
    hours: float


@dataclass(frozen=True)
class WeekHours:
    """One agent's hours in one 7-day block [week_start, week_end] of local dates."""

    agent_id: str
    agent_name: str
    site_id: str
    week: int
    """0 for the block starting on the horizon's first date, then 1, 2, ..."""
    week_start: date
    week_end: date
    shifts: int
    contract_hours: float
    worked_hours: float
    night_hours: float
    weekend_hours: float
    holiday_hours: float
    holidays: tuple[HolidayHours, ...] = ()
    time_off: tuple[tuple[date, str], ...] = ()
    """(local date, reason) of each day of the block the agent had time off (sick, vacation)."""

    @property
    def time_off_days(self) -> int:
        return len(self.time_off)


@dataclass(frozen=True)
class AgentTotals:
    """One agent's hours over the whole period: the sums of his ``WeekHours`` rows."""

    agent_id: str
    agent_name: str
    site_id: str
    contract_hours: float
    """Contract hours per week (blocks of the period may be shorter than a week)."""
    shifts: int
    worked_hours: float
    night_hours: float
    weekend_hours: float
    holiday_hours: float
    time_off_days: int


def agent_totals(rows: Iterable[WeekHours]) -> list[AgentTotals]:
    """Per agent, in the order of ``rows`` (site, then agent): the period's totals."""
    grouped: dict[str, list[WeekHours]] = {}
    for row in rows:
        grouped.setdefault(row.agent_id, []).append(row)
    totals = []
    for agent_rows in grouped.values():
        first = agent_rows[0]

        def total(key: str, weeks: list[WeekHours] = agent_rows) -> float:
            return round(sum(getattr(week, key) for week in weeks), 6)

        totals.append(
            AgentTotals(
                agent_id=first.agent_id,
                agent_name=first.agent_name,
                site_id=first.site_id,
                contract_hours=first.contract_hours,
                shifts=sum(week.shifts for week in agent_rows),
                worked_hours=total("worked_hours"),
                night_hours=total("night_hours"),
                weekend_hours=total("weekend_hours"),
                holiday_hours=total("holiday_hours"),
                time_off_days=sum(week.time_off_days for week in agent_rows),
            )
        )
    return totals


@dataclass
class _Tally:
    shifts: int = 0
    worked: timedelta = timedelta()
    night: timedelta = timedelta()
    weekend: timedelta = timedelta()
    holiday: dict[date, timedelta] = field(default_factory=dict)


def worked_hours(scenario: Scenario, roster: Roster) -> list[WeekHours]:
    """A row per agent and block (zero rows included), ordered by site, agent and week.

    Raises ValueError naming every shift whose agent is unknown or whose date
    lies outside the horizon, since such a roster is not of this scenario.
    """
    blocks = scenario.horizon.blocks()
    block_of = {day: index for index, block in enumerate(blocks) for day in block}
    _reject_foreign_shifts(scenario, roster.assignments, block_of)
    calendars = {site.id: _holidays_near_horizon(scenario, site) for site in scenario.sites}
    tallies: dict[tuple[str, int], _Tally] = defaultdict(_Tally)
    for shift in roster.assignments:
        site = scenario.site_of(scenario.agent(shift.agent_id))
        tally = tallies[(shift.agent_id, block_of[shift.date])]
        _count_shift(tally, shift, site, calendars[site.id])
    site_order = {site.id: index for index, site in enumerate(scenario.sites)}
    agents = sorted(scenario.agents, key=lambda a: (site_order[a.site_id], a.id))
    absences = {
        (block.agent_id, day): block.reason or "time off"
        for block in scenario.time_off
        for day in scenario.horizon.dates
        if block.covers(day)
    }
    rows = []
    for agent in agents:
        for week, block in enumerate(blocks):
            tally = tallies.get((agent.id, week), _Tally())
            holiday_names = calendars[agent.site_id]
            rows.append(
                WeekHours(
                    agent_id=agent.id,
                    agent_name=agent.name,
                    site_id=agent.site_id,
                    week=week,
                    week_start=block[0],
                    week_end=block[-1],
                    shifts=tally.shifts,
                    contract_hours=agent.hours_per_week,
                    worked_hours=hours(tally.worked),
                    night_hours=hours(tally.night),
                    weekend_hours=hours(tally.weekend),
                    holiday_hours=hours(sum(tally.holiday.values(), timedelta())),
                    holidays=tuple(
                        HolidayHours(day, holiday_names[day], hours(duration))
                        for day, duration in sorted(tally.holiday.items())
                    ),
                    time_off=tuple(
                        (day, absences[(agent.id, day)])
                        for day in block
                        if (agent.id, day) in absences
                    ),
                )
            )
    return rows


def hours(duration: timedelta) -> float:
    """Real hours, rounded to 6 decimals so sums print without float noise."""
    return round(duration.total_seconds() / 3600, 6)


def is_night(local_clock: time) -> bool:
    return local_clock >= NIGHT_STARTS or local_clock < NIGHT_ENDS


def shift_pieces(shift: Assignment, site: Site) -> list[LocalPiece]:
    """The shift's real time cut at local midnight, 06:00, 22:00 and DST changes."""
    return split_by_local_clock(
        site.timezone, shift.start_utc, shift.end_utc, (time(0), NIGHT_ENDS, NIGHT_STARTS)
    )


def _count_shift(tally: _Tally, shift: Assignment, site: Site, holidays: dict[date, str]) -> None:
    tally.shifts += 1
    tally.worked += shift.end_utc - shift.start_utc
    for piece in shift_pieces(shift, site):
        day = piece.local_start.date()
        if is_night(piece.local_start.time()):
            tally.night += piece.duration
        if day.weekday() in WEEKEND_WEEKDAYS:
            tally.weekend += piece.duration
        if day in holidays:
            tally.holiday[day] = tally.holiday.get(day, timedelta()) + piece.duration


def _holidays_near_horizon(scenario: Scenario, site: Site) -> dict[date, str]:
    """The site's holidays in every year a shift of the horizon can touch."""
    first = scenario.horizon.start - timedelta(days=1)
    last = scenario.horizon.start + timedelta(days=scenario.horizon.days + 2)
    years = range(first.year, last.year + 1)
    return site_holidays(site.country, site.subdivision, years, site.extra_holidays)


def _reject_foreign_shifts(
    scenario: Scenario, shifts: Iterable[Assignment], block_of: dict[date, int]
) -> None:
    problems = []
    for shift in shifts:
        if shift.agent_id not in scenario.agents_by_id:
            problems.append(
                f"shift {shift.shift_id} on {shift.date}: unknown agent {shift.agent_id!r}"
            )
        elif shift.date not in block_of:
            problems.append(
                f"agent {shift.agent_id}, shift {shift.shift_id} on {shift.date}: outside the "
                f"horizon {scenario.horizon.start}..{scenario.horizon.dates[-1]}"
            )
    if problems:
        raise ValueError("roster does not fit the scenario: " + "; ".join(problems))
