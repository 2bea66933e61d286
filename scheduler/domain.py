"""Typed, immutable domain objects for a scenario and the roster solved for it.

Everything here is plain data: no files, no database, no solver. Instants are
timezone-aware ``datetime`` objects in UTC (suffix ``_utc``); local dates are
``date`` objects in the agent's site's zone. Importers build these objects and
validate them; every other layer only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

CHANNELS = ("phone", "chat", "email")
"""The v1.1 contract's channels (the synthetic generator and the bench draw on these)."""
FORECAST_CHANNELS = (*CHANNELS, "messaging")
"""Channels forecast.csv may name: ``messaging`` is an extension beyond v1.1."""
DEFERRED_CHANNELS = ("email", "messaging")
"""Work done within response hours rather than queued: spread over its window."""
REGIONS = ("NA", "EU", "APAC")
INTERVAL_CHOICES = (15, 30, 60)


@dataclass(frozen=True)
class ShiftTemplate:
    """A local wall-clock start at a site, lasting ``hours`` of real elapsed time."""

    id: str
    start: time
    hours: float

    @property
    def duration(self) -> timedelta:
        return timedelta(hours=self.hours)


@dataclass(frozen=True)
class Rules:
    """Labor rules; a site's own values are already merged over the defaults."""

    min_rest_hours: float = 11
    max_consecutive_days: int = 6
    min_days_off_per_week: int = 2
    work_on_public_holidays: bool = False
    max_start_time_spread_hours: float | None = None
    """Optional: any two shift starts of an agent in one 7-day block are at most this
    many hours apart on the local clock (the shorter way round midnight). None: no bound."""


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    region: str
    country: str
    subdivision: str
    timezone: str
    shifts: tuple[ShiftTemplate, ...]
    rules: Rules
    extra_holidays: tuple[date, ...] = ()

    def shift(self, shift_id: str) -> ShiftTemplate:
        for template in self.shifts:
            if template.id == shift_id:
                return template
        raise KeyError(f"site {self.id!r} has no shift {shift_id!r}")


@dataclass(frozen=True)
class Agent:
    id: str
    name: str
    site_id: str
    languages: tuple[str, ...]
    hours_per_week: float
    shift_ids: tuple[str, ...]
    """Shift ids of the site the agent may work; already resolved (never empty)."""
    email: str = ""
    employee_number: str = ""
    """Payroll's number for the agent (agents.csv's optional column), carried to the exports."""


@dataclass(frozen=True)
class TimeOff:
    """An approved absence: no shift of the agent starts on these local dates."""

    agent_id: str
    start_date: date
    end_date: date
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


PREFERENCE_KINDS = ("shift", "day_off", "avoid_date")


@dataclass(frozen=True)
class Preference:
    """What an agent would like (preferences.csv, a Sunshift extension; or stated on his
    page): honoured where it costs no coverage, never a rule.

    ``shift``: he prefers this shift of his site (several may be stated; a shift he
    works that is none of them goes against his preference); ``day_off``: he wants
    this weekday (0 = Monday) off; ``avoid_date``: he would rather not work this date.
    """

    agent_id: str
    kind: str
    shift_id: str = ""
    weekday: int | None = None
    date: date | None = None


@dataclass(frozen=True)
class HistoryShift:
    """A shift worked before the horizon (history.csv, v1.1): the rules that look
    back (rest, consecutive days) and coverage at the window's start see it."""

    agent_id: str
    date: date
    """The local date of ``start_utc`` at the agent's site; before the horizon."""
    shift_id: str
    start_utc: datetime
    end_utc: datetime


HISTORY_DAYS = 14
"""Only history shifts of the last this many dates before the horizon matter."""


@dataclass(frozen=True)
class Horizon:
    """The UTC window ``[start 00:00Z, start + days 00:00Z)`` cut into intervals."""

    start: date
    days: int
    interval_minutes: int

    @property
    def start_utc(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=UTC)

    @property
    def end_utc(self) -> datetime:
        return self.start_utc + timedelta(days=self.days)

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.interval_minutes)

    @property
    def interval_count(self) -> int:
        return self.days * 24 * 60 // self.interval_minutes

    @property
    def dates(self) -> tuple[date, ...]:
        """Local dates on which roster shifts may start (the same at every site)."""
        return tuple(self.start + timedelta(days=i) for i in range(self.days))

    def interval_starts(self) -> list[datetime]:
        return [self.start_utc + i * self.interval for i in range(self.interval_count)]

    def interval_index(self, instant_utc: datetime) -> int:
        """Index of the interval starting at ``instant_utc`` (must be on the grid)."""
        return int((instant_utc - self.start_utc) / self.interval)

    def blocks(self) -> list[tuple[date, ...]]:
        """The 7-day blocks [start + 7k, start + 7k + 6]; the last may be shorter."""
        dates = self.dates
        return [dates[i : i + 7] for i in range(0, len(dates), 7)]


@dataclass(frozen=True)
class QueueService:
    """Service target of a queued channel (phone or chat).

    ``model`` is ``erlang_c`` (the default, as the spec defines) or ``erlang_a``
    (abandonment-aware, needs ``patience_seconds``).
    """

    service_level: float
    answer_seconds: float
    concurrency: float = 1
    model: str = "erlang_c"
    patience_seconds: float | None = None


@dataclass(frozen=True)
class EmailService:
    response_hours: float = 24


@dataclass(frozen=True)
class Market:
    """Where one language's demand comes from and what its customers are promised.

    ``countries`` share the language's forecast (shares sum to 1); on a public
    holiday of a country (its local date in its zone) that share is multiplied
    by ``holiday_factor``, or by ``holiday_factors[date]`` for a listed date
    (any listed date, holiday or not). Service tables set here replace the
    scenario's for this language only (already merged over the scenario's).
    """

    language: str
    countries: tuple[tuple[str, float], ...] = ()
    timezones: tuple[tuple[str, str], ...] = ()
    """(country, IANA zone) whose local date decides a holiday; default: the country's
    first zone in the tz database's zone.tab."""
    holiday_factor: float = 1.0
    holiday_factors: tuple[tuple[date, float], ...] = ()
    phone: QueueService | None = None
    chat: QueueService | None = None
    email: EmailService | None = None
    messaging: EmailService | None = None


@dataclass(frozen=True)
class Markets:
    """``[markets]`` of scenario.toml (an extension beyond v1.1); empty: no effect."""

    by_language: tuple[Market, ...] = ()

    def of(self, language: str) -> Market | None:
        for market in self.by_language:
            if market.language == language:
                return market
        return None


@dataclass(frozen=True)
class Staffing:
    shrinkage: float = 0.0
    max_occupancy: float = 1.0


@dataclass(frozen=True)
class Coverage:
    always_on: tuple[str, ...] = ()
    min_agents: int = 1


@dataclass(frozen=True)
class ForecastRow:
    interval_start_utc: datetime
    language: str
    channel: str
    volume: float
    aht_seconds: float


@dataclass(frozen=True)
class RequiredRow:
    interval_start_utc: datetime
    language: str
    required: int


@dataclass(frozen=True)
class Scenario:
    name: str
    horizon: Horizon
    phone: QueueService
    chat: QueueService
    email: EmailService
    staffing: Staffing
    coverage: Coverage
    rules: Rules
    sites: tuple[Site, ...]
    agents: tuple[Agent, ...]
    time_off: tuple[TimeOff, ...] = ()
    forecast: tuple[ForecastRow, ...] | None = None
    required: tuple[RequiredRow, ...] | None = None
    history: tuple[HistoryShift, ...] = ()
    """Shifts worked before the horizon (of its last ``HISTORY_DAYS`` dates)."""
    preferences: tuple[Preference, ...] = field(default=(), repr=False)
    """Agents' stated preferences (a soft term of the optimizer); not in ``repr``, so the
    data hash of a period stays what it was (preferences never make a roster wrong)."""
    messaging: EmailService = field(default=EmailService(), repr=False)
    """``[service.messaging]`` (extension beyond v1.1): deferrable like e-mail.
    Not in ``repr`` so a v1.1 scenario's data hash stays what it was."""
    markets: Markets = field(default=Markets(), repr=False)
    """``[markets]`` (extension beyond v1.1); not in ``repr`` for the same reason."""
    source: str = field(default="", compare=False)
    """Where the scenario was read from (a folder path), for messages only."""

    @cached_property
    def sites_by_id(self) -> dict[str, Site]:
        return {site.id: site for site in self.sites}

    @cached_property
    def agents_by_id(self) -> dict[str, Agent]:
        return {agent.id: agent for agent in self.agents}

    @cached_property
    def preferences_by_agent(self) -> dict[str, tuple[Preference, ...]]:
        found: dict[str, list[Preference]] = {}
        for preference in self.preferences:
            found.setdefault(preference.agent_id, []).append(preference)
        return {agent_id: tuple(items) for agent_id, items in found.items()}

    def site(self, site_id: str) -> Site:
        return self.sites_by_id[site_id]

    def agent(self, agent_id: str) -> Agent:
        return self.agents_by_id[agent_id]

    def site_of(self, agent: Agent) -> Site:
        return self.sites_by_id[agent.site_id]

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """Languages with demand (forecast or required rows) or an always-on floor."""
        found = set(self.coverage.always_on)
        for row in self.forecast or ():
            found.add(row.language)
        for row in self.required or ():
            found.add(row.language)
        return tuple(sorted(found))

    @cached_property
    def time_off_by_agent(self) -> dict[str, tuple[TimeOff, ...]]:
        """Each agent's time off, in the scenario's order."""
        found: dict[str, list[TimeOff]] = {}
        for block in self.time_off:
            found.setdefault(block.agent_id, []).append(block)
        return {agent_id: tuple(blocks) for agent_id, blocks in found.items()}

    def time_off_of(self, agent_id: str) -> tuple[TimeOff, ...]:
        return self.time_off_by_agent.get(agent_id, ())

    @cached_property
    def history_by_agent(self) -> dict[str, tuple[HistoryShift, ...]]:
        """Each agent's history shifts that matter (the last ``HISTORY_DAYS`` dates),
        in time order."""
        first = self.horizon.start - timedelta(days=HISTORY_DAYS)
        found: dict[str, list[HistoryShift]] = {}
        for shift in self.history:
            if first <= shift.date < self.horizon.start:
                found.setdefault(shift.agent_id, []).append(shift)
        return {
            agent_id: tuple(sorted(shifts, key=lambda s: (s.start_utc, s.end_utc)))
            for agent_id, shifts in found.items()
        }


@dataclass(frozen=True)
class Assignment:
    """One worked shift: an agent, the local date it starts on and its instants."""

    agent_id: str
    site_id: str
    date: date
    shift_id: str
    start_utc: datetime
    end_utc: datetime
    start_local: datetime
    end_local: datetime


@dataclass(frozen=True)
class CoverageRow:
    interval_start_utc: datetime
    language: str
    required: int
    staffed: int


@dataclass(frozen=True)
class Roster:
    """What ``sunshift solve`` writes: assignments, coverage and a summary dict."""

    assignments: tuple[Assignment, ...]
    coverage: tuple[CoverageRow, ...]
    summary: dict = field(default_factory=dict, compare=False)
