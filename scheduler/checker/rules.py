"""The hard labor and calendar rules, one small function each.

Each function is named after its rule (the same names the solver's rules and
the tests use) and returns the violations it finds. Row rules look at one
roster row of a known agent; agent rules look at all of an agent's shifts in
time order. Nothing here reads files or imports the solver: this is an
independent second opinion on whatever the solver wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from calendars.zones import iso_local, iso_utc
from scheduler.checker.context import CheckContext, WorkedShift
from scheduler.checker.violation import Violation
from scheduler.domain import Agent, Assignment

EPSILON_HOURS = 1e-6

RowRule = Callable[[CheckContext, Agent, Assignment], Violation | None]
AgentRule = Callable[[CheckContext, Agent, list[WorkedShift]], Iterable[Violation]]


def _hours(value: float) -> str:
    """Hours for messages: ``11``, ``10.5``, ``10.98``."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _found(rule: str, row: Assignment, message: str) -> Violation:
    return Violation(rule, row.agent_id, row.date, message)


# --- rules about one row ---------------------------------------------------------------------


def unknown_agent(ctx: CheckContext, row: Assignment) -> Violation | None:
    if row.agent_id in ctx.scenario.agents_by_id:
        return None
    return _found("unknown_agent", row, f"agent {row.agent_id!r} is not in agents.csv")


def wrong_site(ctx: CheckContext, agent: Agent, row: Assignment) -> Violation | None:
    if row.site_id == agent.site_id:
        return None
    return _found(
        "wrong_site", row, f"site column says {row.site_id!r}, the agent works at {agent.site_id!r}"
    )


def unknown_shift(ctx: CheckContext, agent: Agent, row: Assignment) -> Violation | None:
    if ctx.known_shift(agent, row.shift_id):
        return None
    site = ctx.scenario.site_of(agent)
    if not any(t.id == row.shift_id for t in site.shifts):
        known = ", ".join(t.id for t in site.shifts)
        reason = f"site {site.id!r} has no shift {row.shift_id!r} (it has {known})"
    else:
        reason = (
            f"shift {row.shift_id!r} is not one the agent may work ({', '.join(agent.shift_ids)})"
        )
    return _found("unknown_shift", row, reason)


def wrong_instants(ctx: CheckContext, agent: Agent, row: Assignment) -> Violation | None:
    """The four times must be the site shift's true instants, offsets included."""
    if not ctx.known_shift(agent, row.shift_id):
        return None  # unknown_shift already says what is wrong
    site = ctx.scenario.site_of(agent)
    template = site.shift(row.shift_id)
    truth = ctx.instants(site, row.date, row.shift_id)
    if truth is None:
        return _found(
            "wrong_instants",
            row,
            f"shift {row.shift_id!r} starts at {template.start:%H:%M} local, a time that does not "
            f"exist at {site.id} on {row.date} (daylight saving gap)",
        )
    wrong = []
    for name, stated, true in (
        ("start_utc", row.start_utc, truth.start_utc),
        ("end_utc", row.end_utc, truth.end_utc),
    ):
        if stated != true:
            wrong.append(f"{name} {iso_utc(stated)} should be {iso_utc(true)}")
    for name, stated, true in (
        ("start_local", row.start_local, truth.start_local),
        ("end_local", row.end_local, truth.end_local),
    ):
        if stated != true or stated.utcoffset() != true.utcoffset():
            wrong.append(f"{name} {iso_local(stated)} should be {iso_local(true)}")
    if not wrong:
        return None
    shape = f"{template.start:%H:%M} for {_hours(template.hours)} h in {site.timezone}"
    return _found("wrong_instants", row, f"{'; '.join(wrong)} (shift {row.shift_id}: {shape})")


def horizon(ctx: CheckContext, agent: Agent, row: Assignment) -> Violation | None:
    if row.date in ctx.horizon_dates:
        return None
    dates = ctx.scenario.horizon.dates
    return _found("horizon", row, f"date is outside the horizon {dates[0]}..{dates[-1]}")


def time_off(ctx: CheckContext, agent: Agent, row: Assignment) -> Violation | None:
    for absence in ctx.time_off.get(agent.id, ()):
        if absence.covers(row.date):
            reason = f" ({absence.reason})" if absence.reason else ""
            return _found(
                "time_off",
                row,
                f"shift on approved time off {absence.start_date}..{absence.end_date}{reason}",
            )
    return None


def public_holiday(ctx: CheckContext, agent: Agent, row: Assignment) -> Violation | None:
    site = ctx.scenario.site_of(agent)
    if site.rules.work_on_public_holidays:
        return None
    name = ctx.holidays[site.id].get(row.date)
    if name is None:
        return None
    where = f"{site.country}-{site.subdivision}" if site.subdivision else site.country
    return _found(
        "public_holiday",
        row,
        f"shift on {name!r}, a public holiday at {site.id} ({where}); site rules forbid it",
    )


ROW_RULES: tuple[RowRule, ...] = (
    wrong_site,
    unknown_shift,
    wrong_instants,
    horizon,
    time_off,
    public_holiday,
)


# --- rules about an agent's sequence of shifts -----------------------------------------------


def one_shift_per_date(
    ctx: CheckContext, agent: Agent, shifts: list[WorkedShift]
) -> Iterable[Violation]:
    by_date: dict[date, list[str]] = {}
    for shift in shifts:
        by_date.setdefault(shift.date, []).append(shift.assignment.shift_id)
    for day, ids in sorted(by_date.items()):
        if len(ids) > 1:
            yield Violation(
                "one_shift_per_date",
                agent.id,
                day,
                f"{len(ids)} shifts start that day: {', '.join(ids)}",
            )


def min_rest(ctx: CheckContext, agent: Agent, shifts: list[WorkedShift]) -> Iterable[Violation]:
    """Real elapsed hours from the end of every earlier shift, history shifts
    included (v1.1), to the start of each roster shift; a negative rest is an overlap."""
    needed = ctx.scenario.site_of(agent).rules.min_rest_hours
    history = ctx.scenario.history_by_agent.get(agent.id, ())
    timeline = sorted(
        [(s.start_utc, s.end_utc, None) for s in history]
        + [(s.start_utc, s.end_utc, s) for s in shifts],
        key=lambda item: (item[0], item[1]),
    )
    latest_end, latest_is_history = None, False  # the latest end of the shifts so far
    for start, end, shift in timeline:
        if shift is not None and latest_end is not None:
            rest = (start - latest_end) / timedelta(hours=1)
            if rest + EPSILON_HOURS < needed:
                if not latest_is_history:
                    what = f"{_hours(rest)} h between shifts"
                elif rest < 0:
                    what = "overlaps a history shift"
                else:
                    what = f"{_hours(rest)} h after a history shift"
                yield Violation(
                    "min_rest",
                    agent.id,
                    shift.date,
                    f"{what} (ends {_utc(latest_end)}, next starts {_utc(start)}), "
                    f"site rule needs {_hours(needed)} h",
                )
        if latest_end is None or end > latest_end:
            latest_end, latest_is_history = end, shift is None


def max_consecutive_days(
    ctx: CheckContext, agent: Agent, shifts: list[WorkedShift]
) -> Iterable[Violation]:
    """Local dates in a row with a shift start; reported once per run, on the first
    roster day too many. History dates (v1.1) count into a run that reaches the
    horizon; a run wholly in the history is a past fact, not a violation."""
    allowed = ctx.scenario.site_of(agent).rules.max_consecutive_days
    first_date = ctx.scenario.horizon.start
    history = {shift.date for shift in ctx.scenario.history_by_agent.get(agent.id, ())}
    dates = sorted({shift.date for shift in shifts} | history)
    run_start, run_length, reported = None, 0, False
    for index, day in enumerate(dates):
        if index and day - dates[index - 1] == timedelta(days=1):
            run_length += 1
        else:
            run_start, run_length, reported = day, 1, False
        if run_length > allowed and day >= first_date and not reported:
            reported = True
            run_end = _run_end(dates, index)
            yield Violation(
                "max_consecutive_days",
                agent.id,
                day,
                f"{_run_length(run_start, run_end)} days in a row with a shift "
                f"({run_start}..{run_end}), site rule allows {allowed}",
            )


def weekly_hours(ctx: CheckContext, agent: Agent, shifts: list[WorkedShift]) -> Iterable[Violation]:
    """Hours in each 7-day block, a partial last block included, at most the contract's."""
    for block in ctx.scenario.horizon.blocks():
        worked = sum(s.hours for s in shifts if block[0] <= s.date <= block[-1])
        if worked > agent.hours_per_week + EPSILON_HOURS:
            yield Violation(
                "weekly_hours",
                agent.id,
                block[0],
                f"{_hours(worked)} h in the block {block[0]}..{block[-1]}, "
                f"contract allows {_hours(agent.hours_per_week)} h",
            )


def days_off(ctx: CheckContext, agent: Agent, shifts: list[WorkedShift]) -> Iterable[Violation]:
    """Days without a shift start in each block; a partial block of n dates needs fewer."""
    wanted = ctx.scenario.site_of(agent).rules.min_days_off_per_week
    worked_dates = {shift.date for shift in shifts}
    for block in ctx.scenario.horizon.blocks():
        needed = max(0, wanted - (7 - len(block)))
        free = sum(1 for day in block if day not in worked_dates)
        if free < needed:
            yield Violation(
                "days_off",
                agent.id,
                block[0],
                f"{free} day(s) off in the block {block[0]}..{block[-1]} "
                f"({len(block)} dates), needs {needed}",
            )


def start_time_spread(
    ctx: CheckContext, agent: Agent, shifts: list[WorkedShift]
) -> Iterable[Violation]:
    """With the optional site rule ``max_start_time_spread_hours``: in each 7-day block
    any two of his start times are at most that far apart on the local clock, the
    shorter way round midnight."""
    site = ctx.scenario.site_of(agent)
    bound = site.rules.max_start_time_spread_hours
    if bound is None:
        return
    for block in ctx.scenario.horizon.blocks():
        starts = sorted(
            {
                (local.hour * 60 + local.minute, local.strftime("%H:%M"), s.date)
                for s in shifts
                if block[0] <= s.date <= block[-1]
                for local in [s.start_utc.astimezone(ZoneInfo(site.timezone))]
            }
        )
        worst = None
        for i, (first, first_text, first_date) in enumerate(starts):
            for second, second_text, second_date in starts[i + 1 :]:
                apart = abs(first - second) % 1440
                apart = min(apart, 1440 - apart)
                if apart / 60 > bound + EPSILON_HOURS and (worst is None or apart > worst[0]):
                    worst = (apart, first_text, first_date, second_text, second_date)
        if worst is not None:
            apart, first_text, first_date, second_text, second_date = worst
            yield Violation(
                "start_time_spread",
                agent.id,
                block[0],
                f"starts at {first_text} ({first_date}) and {second_text} ({second_date}) "
                f"in the block {block[0]}..{block[-1]} are {_hours(apart / 60)} h apart, "
                f"site rule allows {_hours(bound)} h",
            )


AGENT_RULES: tuple[AgentRule, ...] = (
    one_shift_per_date,
    min_rest,
    max_consecutive_days,
    weekly_hours,
    days_off,
    start_time_spread,
)


def check_rules(ctx: CheckContext) -> list[Violation]:
    """Every row rule on every row, then every agent rule on every agent with shifts."""
    found: list[Violation] = []
    agents = ctx.scenario.agents_by_id
    for row in ctx.roster.assignments:
        agent = agents.get(row.agent_id)
        if agent is None:
            found.append(unknown_agent(ctx, row))
            continue
        found.extend(v for rule in ROW_RULES if (v := rule(ctx, agent, row)) is not None)
    for agent_id, shifts in ctx.shifts_by_agent.items():
        agent = agents[agent_id]
        for rule in AGENT_RULES:
            found.extend(rule(ctx, agent, shifts))
    return found


def _utc(instant: datetime) -> str:
    return iso_utc(instant).replace(":00Z", "Z")


def _run_end(dates: list[date], index: int) -> date:
    while index + 1 < len(dates) and dates[index + 1] - dates[index] == timedelta(days=1):
        index += 1
    return dates[index]


def _run_length(first: date, last: date) -> int:
    return (last - first).days + 1
