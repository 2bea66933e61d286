"""A tiny scenario and valid rosters for it, so each checker test can make one
tempting change and see exactly one rule fire.

Sites: Berlin (DE-BE: 8 March is Women's Day), Munich (DE-BY: it is not), and
Dublin (whose clocks go forward at 01:00 UTC on 28 March 2027). One language,
``en``, always on with a floor of 1, so required is 1 in every interval.
"""

from __future__ import annotations

import dataclasses
from datetime import date, time, timedelta

from calendars.zones import shift_instants
from scheduler.domain import (
    Agent,
    Assignment,
    Coverage,
    CoverageRow,
    EmailService,
    Horizon,
    QueueService,
    RequiredRow,
    Roster,
    Rules,
    Scenario,
    ShiftTemplate,
    Site,
    Staffing,
    TimeOff,
)

MONDAY = date(2027, 3, 1)
WOMENS_DAY = date(2027, 3, 8)
DUBLIN_SPRING_FORWARD = date(2027, 3, 28)

GERMAN_SHIFTS = (
    ShiftTemplate("early", time(6, 0), 8),
    ShiftTemplate("day", time(9, 0), 8),
    ShiftTemplate("day_0859", time(8, 59), 8),
    ShiftTemplate("late", time(14, 0), 8),
)
DUBLIN_SHIFTS = (
    ShiftTemplate("early", time(7, 0), 8),
    ShiftTemplate("small_hours", time(1, 30), 6),
    ShiftTemplate("night", time(23, 0), 8),
)


def site(site_id: str, **changes) -> Site:
    base = {
        "ber": Site("ber", "Berlin", "EU", "DE", "BE", "Europe/Berlin", GERMAN_SHIFTS, Rules()),
        "muc": Site("muc", "Munich", "EU", "DE", "BY", "Europe/Berlin", GERMAN_SHIFTS, Rules()),
        "dub": Site("dub", "Dublin", "EU", "IE", "", "Europe/Dublin", DUBLIN_SHIFTS, Rules()),
    }[site_id]
    return dataclasses.replace(base, **changes)


def agent(
    agent_id: str,
    site_id: str = "muc",
    languages: tuple[str, ...] = ("en",),
    hours: float = 40,
    shift_ids: tuple[str, ...] | None = None,
) -> Agent:
    if shift_ids is None:
        shift_ids = tuple(t.id for t in site(site_id).shifts)
    return Agent(agent_id, f"Agent {agent_id}", site_id, languages, hours, shift_ids)


def scenario(
    agents: tuple[Agent, ...],
    start: date = MONDAY,
    days: int = 14,
    sites: tuple[Site, ...] | None = None,
    time_off: tuple[TimeOff, ...] = (),
    always_on: tuple[str, ...] = ("en",),
) -> Scenario:
    queue = QueueService(service_level=0.8, answer_seconds=20)
    return Scenario(
        name="checker tiny",
        horizon=Horizon(start, days, 60),
        phone=queue,
        chat=queue,
        email=EmailService(),
        staffing=Staffing(),
        coverage=Coverage(always_on=always_on, min_agents=1),
        rules=Rules(),
        sites=sites or (site("ber"), site("muc"), site("dub")),
        agents=agents,
        time_off=time_off,
        required=(),
    )


def shift(sc: Scenario, agent_id: str, day: date, shift_id: str) -> Assignment:
    """A roster row with the true instants of the agent's site shift."""
    worker = sc.agent(agent_id)
    where = sc.site_of(worker)
    template = where.shift(shift_id)
    instants = shift_instants(where.timezone, day, template.start, template.hours)
    assert instants is not None, f"{shift_id} does not exist on {day} at {where.id}"
    return Assignment(
        agent_id,
        where.id,
        day,
        shift_id,
        instants.start_utc,
        instants.end_utc,
        instants.start_local,
        instants.end_local,
    )


def roster(sc: Scenario, assignments: list[Assignment]) -> Roster:
    """A roster with honest coverage and summary, when every agent speaks one language.

    Each agent counts for his one language in every interval his shift covers whole.
    """
    horizon = sc.horizon
    rows = []
    for index, start in enumerate(horizon.interval_starts()):
        end = start + horizon.interval
        for language in sc.languages:
            staffed = len(
                {
                    a.agent_id
                    for a in assignments
                    if a.agent_id in sc.agents_by_id
                    and language in sc.agent(a.agent_id).languages
                    and a.start_utc <= start
                    and end <= a.end_utc
                }
            )
            required = 1 if language in sc.coverage.always_on else 0
            rows.append(CoverageRow(start, language, required, staffed))
        assert index == horizon.interval_index(start)
    return Roster(tuple(assignments), tuple(rows), honest_summary(sc, rows))


def honest_summary(sc: Scenario, rows: list[CoverageRow]) -> dict:
    floor = sc.coverage.min_agents
    return {
        "status": "feasible",
        "shortfall": sum(max(0, r.required - r.staffed) for r in rows),
        "floor_gaps": sum(
            1 for r in rows if r.language in sc.coverage.always_on and r.staffed < floor
        ),
        "bound": None,
        "solve_seconds": 0.5,
        "violations": [],
    }


def weekdays(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


def required_rows(sc: Scenario, language: str, value: int) -> tuple[RequiredRow, ...]:
    return tuple(RequiredRow(t, language, value) for t in sc.horizon.interval_starts())
