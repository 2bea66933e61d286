"""What moves in UTC when sites change their clocks on different dates.

The US, Europe and Australia change clocks in different weeks, so for a week or
two each region's shifts sit an hour away from where they were against the
others: the hand-offs between regions move. A shift template is a local
wall-clock start, so a template starting 09:00 local moves by the change of its
zone's UTC offset in UTC, while the forecast (in UTC) stays where it was.

The horizon is cut at every UTC offset change of every site's zone (found to the
second by ``scheduler.exports.local_clock.offset_changes``, from the tz database,
never a fixed offset); changes less than a day apart (New York and Los Angeles
change a few hours apart on the same date) make one *transition*. Between two
transitions every site keeps one offset: a *regime*. For each transition we
compare the regime before with the regime after:

- which sites' templates move in UTC, and from which UTC start to which;
- per language, the UTC times of day (minutes, merged into ranges) that some
  speaker's template covers after but not before (*gained*) or before but not
  after (*lost*), with the site, template and how many speakers may work it.

It needs only the scenario (sites, templates, agents), so the period page shows
it before any solve.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from calendars.zones import shift_instants, to_local
from scheduler.domain import Scenario, ShiftTemplate, Site
from scheduler.exports.local_clock import offset_changes, utc_offset

DAY_MINUTES = 24 * 60
GROUPED_WITHIN = timedelta(days=1)
"""Offset changes less than this apart are one transition (a region's zones)."""


@dataclass(frozen=True)
class ClockChange:
    """One site's change of UTC offset."""

    site_id: str
    site_name: str
    timezone: str
    at_utc: datetime
    local_date: date
    """The local date at the site on which its clocks change."""
    offset_before: timedelta
    offset_after: timedelta


@dataclass(frozen=True)
class TemplateMove:
    """A site's shift template whose UTC start moves with its zone's offset."""

    site_id: str
    shift_id: str
    local_start: time
    utc_start_before: int
    """Minutes after UTC midnight."""
    utc_start_after: int


@dataclass(frozen=True)
class Span:
    """UTC minutes of day ``[start, end)`` a site's template covers after a transition
    and not before (gained) or the other way round (lost). ``end`` may be below
    ``start`` when the span runs over UTC midnight."""

    start: int
    end: int
    site_id: str
    shift_id: str
    speakers: int


@dataclass(frozen=True)
class LanguageMove:
    language: str
    gained: tuple[Span, ...]
    lost: tuple[Span, ...]

    @property
    def ranges(self) -> tuple[tuple[int, int], ...]:
        """The UTC times of day whose coverage changes, merged (``end`` may wrap)."""
        minutes: set[int] = set()
        for span in self.gained + self.lost:
            minutes |= _minutes(span.start, span.end)
        return _ranges(minutes)


@dataclass(frozen=True)
class Transition:
    """The sites that change clocks within a day of each other, and what moves."""

    changes: tuple[ClockChange, ...]
    regime_before: tuple[datetime, datetime]
    """The UTC stretch before the transition during which no site changes offset."""
    regime_after: tuple[datetime, datetime]
    moves: tuple[TemplateMove, ...]
    languages: tuple[LanguageMove, ...]
    """Only languages with a change."""

    @property
    def site_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(change.site_id for change in self.changes))


def clock_changes(scenario: Scenario) -> list[ClockChange]:
    """Every site's UTC offset change inside the horizon, in time order."""
    horizon = scenario.horizon
    found = []
    for site in scenario.sites:
        for instant in offset_changes(site.timezone, horizon.start_utc, horizon.end_utc):
            found.append(
                ClockChange(
                    site_id=site.id,
                    site_name=site.name,
                    timezone=site.timezone,
                    at_utc=instant,
                    local_date=to_local(instant, site.timezone).date(),
                    offset_before=utc_offset(site.timezone, instant - timedelta(seconds=1)),
                    offset_after=utc_offset(site.timezone, instant),
                )
            )
    return sorted(found, key=lambda c: (c.at_utc, c.site_id))


def transitions(scenario: Scenario) -> list[Transition]:
    """What moves at each transition of the horizon (none when no site changes clocks)."""
    groups = _grouped(clock_changes(scenario))
    horizon = scenario.horizon
    bounds = (
        [horizon.start_utc]
        + [edge for group in groups for edge in (group[0].at_utc, group[-1].at_utc)]
        + [horizon.end_utc]
    )
    regimes = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    speakers = _speakers(scenario)
    found = []
    for index, group in enumerate(groups):
        before, after = regimes[index], regimes[index + 1]
        moving = {change.site_id for change in group}
        cover_before = _template_spans(scenario, _middle(before))
        cover_after = _template_spans(scenario, _middle(after))
        found.append(
            Transition(
                changes=tuple(group),
                regime_before=before,
                regime_after=after,
                moves=tuple(
                    TemplateMove(
                        site.id,
                        template.id,
                        template.start,
                        cover_before[(site.id, template.id)][0],
                        cover_after[(site.id, template.id)][0],
                    )
                    for site in scenario.sites
                    if site.id in moving
                    for template in site.shifts
                    if (site.id, template.id) in cover_before
                    and (site.id, template.id) in cover_after
                    and cover_before[(site.id, template.id)][0]
                    != cover_after[(site.id, template.id)][0]
                ),
                languages=_language_moves(scenario, speakers, cover_before, cover_after),
            )
        )
    return found


def format_minutes(minutes: int) -> str:
    """``13:00`` for 780; 1440 reads ``24:00``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_range(start: int, end: int) -> str:
    """``21:00–22:00``; a range over midnight ``23:00–01:00``."""
    return f"{format_minutes(start)}–{format_minutes(end if end else DAY_MINUTES)}"


def _grouped(changes: list[ClockChange]) -> list[list[ClockChange]]:
    groups: list[list[ClockChange]] = []
    for change in changes:
        if groups and change.at_utc - groups[-1][0].at_utc < GROUPED_WITHIN:
            groups[-1].append(change)
        else:
            groups.append([change])
    return groups


def _middle(regime: tuple[datetime, datetime]) -> datetime:
    return regime[0] + (regime[1] - regime[0]) / 2


def _template_spans(
    scenario: Scenario, instant: datetime
) -> dict[tuple[str, str], tuple[int, int]]:
    """(site, template) -> its UTC start and end in minutes of day, for a shift starting
    on the site's local date at ``instant`` (or the next date where its start exists)."""
    spans = {}
    for site in scenario.sites:
        day = to_local(instant, site.timezone).date()
        for template in site.shifts:
            span = _utc_span(site, template, day)
            if span is not None:
                spans[(site.id, template.id)] = span
    return spans


def _utc_span(site: Site, template: ShiftTemplate, day: date) -> tuple[int, int] | None:
    for shift_day in (day, day + timedelta(days=1)):  # a start in a DST gap: the next day
        instants = shift_instants(site.timezone, shift_day, template.start, template.hours)
        if instants is not None:
            start = instants.start_utc
            minutes = start.hour * 60 + start.minute
            length = min(DAY_MINUTES, round(template.hours * 60))
            return minutes, (minutes + length) % DAY_MINUTES if length < DAY_MINUTES else minutes
    return None


def _speakers(scenario: Scenario) -> dict[tuple[str, str, str], int]:
    """(language, site, template) -> how many of the site's speakers may work it."""
    counts: dict[tuple[str, str, str], int] = {}
    for agent in scenario.agents:
        for language in agent.languages:
            for shift_id in agent.shift_ids:
                key = (language, agent.site_id, shift_id)
                counts[key] = counts.get(key, 0) + 1
    return counts


def _language_moves(
    scenario: Scenario,
    speakers: dict[tuple[str, str, str], int],
    before: dict[tuple[str, str], tuple[int, int]],
    after: dict[tuple[str, str], tuple[int, int]],
) -> tuple[LanguageMove, ...]:
    moves = []
    for language in scenario.languages:
        gained: list[Span] = []
        lost: list[Span] = []
        for site in scenario.sites:
            for template in site.shifts:
                count = speakers.get((language, site.id, template.id), 0)
                key = (site.id, template.id)
                if not count or key not in before or key not in after or before[key] == after[key]:
                    continue
                old, new = _minutes(*before[key]), _minutes(*after[key])
                for start, end in _ranges(new - old):
                    gained.append(Span(start, end, site.id, template.id, count))
                for start, end in _ranges(old - new):
                    lost.append(Span(start, end, site.id, template.id, count))
        if gained or lost:
            moves.append(LanguageMove(language, tuple(_by_time(gained)), tuple(_by_time(lost))))
    return tuple(moves)


def _by_time(spans: Iterable[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (s.start, s.site_id, s.shift_id))


def _minutes(start: int, end: int) -> set[int]:
    """The minutes of day in ``[start, end)``, over midnight when ``end <= start``
    (``start == end`` is the whole day)."""
    if end > start:
        return set(range(start, end))
    return set(range(start, DAY_MINUTES)) | set(range(0, end))


def _ranges(minutes: set[int]) -> tuple[tuple[int, int], ...]:
    """Sorted minutes as ``[start, end)`` ranges; one running over midnight is joined."""
    if not minutes:
        return ()
    if len(minutes) == DAY_MINUTES:
        return ((0, 0),)
    ordered = sorted(minutes)
    ranges = [[ordered[0], ordered[0] + 1]]
    for minute in ordered[1:]:
        if minute == ranges[-1][1]:
            ranges[-1][1] = minute + 1
        else:
            ranges.append([minute, minute + 1])
    if len(ranges) > 1 and ranges[0][0] == 0 and ranges[-1][1] == DAY_MINUTES:
        first = ranges.pop(0)
        ranges[-1][1] = first[1]
    return tuple((start, end % DAY_MINUTES) for start, end in ranges)
