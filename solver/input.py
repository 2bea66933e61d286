"""The solver's problem: integers and indexes only.

Time zones, DST, holidays, time off and allowed shifts are resolved before this
object is built (in ``scheduler.solver_input``), so the model never sees a date.
Minutes are counted from the horizon's start (00:00Z of its first date) and may
be negative for shifts that begin before the window (Tokyo's first morning).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ShiftOption:
    """One shift template of one site on one local date, with its real instants."""

    site: int
    day: int
    """Index of the local date in the horizon (0 .. days-1); also the 7-day block key."""
    template: int
    start_minute: int
    end_minute: int
    first_interval: int
    """First interval the shift covers whole (clipped to the horizon)."""
    last_interval: int
    """Last interval it covers whole; ``last_interval < first_interval`` when none."""
    start_local_minute_of_day: int
    """Local wall-clock start (minutes after local midnight): for stable start times."""
    is_night: bool = False
    is_weekend: bool = False
    is_holiday_eve: bool = False

    @property
    def minutes(self) -> int:
        return self.end_minute - self.start_minute

    def covers(self, interval: int) -> bool:
        return self.first_interval <= interval <= self.last_interval


@dataclass(frozen=True)
class AgentRules:
    min_rest_minutes: int
    max_consecutive_days: int
    min_days_off_per_block: int
    max_start_spread_minutes: int | None = None
    """Optional: any two of his shift starts in one 7-day block are at most this many
    minutes apart on the local clock (the shorter way round midnight)."""


@dataclass(frozen=True)
class SolverAgent:
    site: int
    languages: tuple[int, ...]
    """Indexes into ``SolverInput.languages`` of the languages with demand he speaks."""
    max_minutes_per_block: int
    rules: AgentRules
    options: tuple[int, ...]
    """Indexes into ``SolverInput.options`` he may work (site, allowed shift, not on
    time off, not on a holiday his site does not work, not in a DST gap, not within
    the rest time of a history shift)."""
    history_days: frozenset[int] = frozenset()
    """Day indexes (negative: -1 is the date before the first) on which a history
    shift starts: the consecutive-days rule counts them into a run that reaches the
    first dates."""
    preference_costs: tuple[tuple[int, int], ...] = ()
    """(option, count) pairs: working that option goes against ``count`` of his stated
    preferences (a shift he did not prefer, a weekday he wants off, a date he would
    rather not work). Options not listed go against none."""


@dataclass(frozen=True)
class SolverInput:
    days: int
    interval_minutes: int
    interval_count: int
    languages: tuple[str, ...]
    options: tuple[ShiftOption, ...]
    agents: tuple[SolverAgent, ...]
    required: tuple[tuple[int, ...], ...]
    """required[language][interval]: agents needed."""
    floor: tuple[int, ...]
    """floor[language]: always-on minimum (0 for languages without a floor)."""
    blocks: tuple[tuple[int, ...], ...] = field(default=())
    """Day indexes of each 7-day block; the last may be shorter."""
    locked: frozenset[tuple[int, int]] = frozenset()
    """(agent, option) pairs a planner locked: they stay in every roster."""
    previous: frozenset[tuple[int, int]] = frozenset()
    """The published roster a re-solve starts from: each change to it is penalised."""
    history_present: tuple[tuple[int, tuple[int, ...], int], ...] = ()
    """(interval, language set, agents): history shifts running into the window
    cover these intervals whole, like roster shifts, and are never moved."""

    def history_presence(self) -> list[dict[tuple[int, ...], int]]:
        """Per interval, agents of each language set on a history shift."""
        present: list[dict[tuple[int, ...], int]] = [{} for _ in range(self.interval_count)]
        for t, group, count in self.history_present:
            present[t][group] = present[t].get(group, 0) + count
        return present

    def presence(self, chosen: list[tuple[int, int]]) -> list[Counter[tuple[int, ...]]]:
        """Per interval, agents present of each language set: history shifts and the
        ``chosen`` (agent, option) shifts (what every allocation of a roster starts from)."""
        present = [Counter(groups) for groups in self.history_presence()]
        for a, o in chosen:
            group = self.agents[a].languages
            if group:
                option = self.options[o]
                for t in range(option.first_interval, option.last_interval + 1):
                    present[t][group] += 1
        return present

    @property
    def block_of_day(self) -> dict[int, int]:
        return {day: b for b, days in enumerate(self.blocks) for day in days}


@dataclass(frozen=True)
class SolveLimits:
    time_limit_seconds: float = 60.0
    seed: int = 0
    workers: int = 0
    """CP-SAT search workers; 0 means one per core."""


@dataclass(frozen=True)
class Progress:
    elapsed_seconds: float
    objective: float
    bound: float
    shortfall: int | None = None
    phase: str = ""


@dataclass(frozen=True)
class SolverResult:
    status: str
    """``optimal``, ``feasible`` or ``infeasible``/``unknown`` (no roster found)."""
    chosen: tuple[tuple[int, int], ...]
    """(agent index, option index) of every worked shift."""
    shortfall: int
    floor_gaps: int
    shortfall_bound: int | None
    objective: float
    objective_bound: float
    solve_seconds: float
    penalties: dict[str, int] = field(default_factory=dict)
    """Value of each named objective term in the returned roster."""
    bound_by_language: dict[str, int] = field(default_factory=dict)
    """A proven lower bound on each language's shortfall alone (where the LP had time)."""
    lp_value: float | None = None
    """The LP relaxation's optimum when every part of it was solved (for reports:
    ``shortfall_bound`` is the proven bound)."""
