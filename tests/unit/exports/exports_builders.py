"""Tiny scenarios and rosters for export tests, plus the spec example loaded from fixtures.

Sites: Dublin (clocks go back at 01:00 UTC on Sunday 31 October 2027 and
forward at 01:00 UTC on Sunday 28 March 2027), Berlin (DE-BE: 8 March is
Women's Day), Munich (DE-BY: 6 January is Epiphany, which Berlin lacks) and
Tokyo (no DST; 07:00 Saturday is 22:00 Friday UTC).
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from scheduler.domain import (
    Agent,
    Assignment,
    Coverage,
    EmailService,
    Horizon,
    QueueService,
    Roster,
    Rules,
    Scenario,
    ShiftTemplate,
    Site,
    Staffing,
)
from scheduler.imports import load_scenario
from scheduler.roster_io import read_roster_folder
from tests.unit.checker.checker_builders import shift  # noqa: F401 - re-exported for the export tests

SHIFTS = (
    ShiftTemplate("early", time(7, 0), 8),
    ShiftTemplate("evening", time(20, 0), 8),
    ShiftTemplate("night", time(23, 0), 9),
    ShiftTemplate("late", time(17, 0), 9),
)

SITES = {
    "dub": Site("dub", "Dublin", "EU", "IE", "", "Europe/Dublin", SHIFTS, Rules()),
    "ber": Site("ber", "Berlin", "EU", "DE", "BE", "Europe/Berlin", SHIFTS, Rules()),
    "muc": Site("muc", "Munich", "EU", "DE", "BY", "Europe/Berlin", SHIFTS, Rules()),
    "tyo": Site("tyo", "Tokyo", "APAC", "JP", "", "Asia/Tokyo", SHIFTS, Rules()),
}


def scenario(start: date, days: int = 7, sites: tuple[Site, ...] | None = None) -> Scenario:
    """One agent per site (id = site id upper-cased), 40 contract hours."""
    chosen = sites or tuple(SITES.values())
    agents = tuple(
        Agent(s.id.upper(), f"Agent {s.name}", s.id, ("en",), 40, tuple(t.id for t in SHIFTS))
        for s in chosen
    )
    queue = QueueService(service_level=0.8, answer_seconds=20)
    return Scenario(
        name="exports tiny",
        horizon=Horizon(start, days, 60),
        phone=queue,
        chat=queue,
        email=EmailService(),
        staffing=Staffing(),
        coverage=Coverage(always_on=("en",), min_agents=1),
        rules=Rules(),
        sites=chosen,
        agents=agents,
        required=(),
    )


def roster(assignments: list[Assignment]) -> Roster:
    return Roster(tuple(assignments), (), {})


def spec_example(scenario_dir: Path, roster_dir: Path) -> tuple[Scenario, Roster]:
    sc = load_scenario(scenario_dir)
    solved, errors = read_roster_folder(roster_dir)
    assert not errors and solved is not None
    return sc, solved
