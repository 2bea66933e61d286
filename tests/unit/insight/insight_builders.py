"""A small follow-the-sun scenario across the March 2026 clock changes, for the hand-off
and fairness tests: New York (clocks forward Sunday 8 March, 07:00 UTC), Dublin
(Sunday 29 March, 01:00 UTC) and Sydney (back on Sunday 5 April, 16:00 UTC on the
4th). Each site has one template starting 09:00 local, 8 hours."""

from __future__ import annotations

from datetime import date, time

from scheduler.domain import (
    Agent,
    Coverage,
    EmailService,
    Horizon,
    QueueService,
    RequiredRow,
    Rules,
    Scenario,
    ShiftTemplate,
    Site,
    Staffing,
)

DAY = (ShiftTemplate("day", time(9, 0), 8),)
NIGHT = (ShiftTemplate("day", time(9, 0), 8), ShiftTemplate("night", time(22, 0), 8))

SITES = (
    Site("nyc", "New York", "NA", "US", "NY", "America/New_York", DAY, Rules()),
    Site("dub", "Dublin", "EU", "IE", "", "Europe/Dublin", NIGHT, Rules()),
    Site("syd", "Sydney", "APAC", "AU", "NSW", "Australia/Sydney", DAY, Rules()),
)

AGENTS = (
    Agent("N1", "Nora", "nyc", ("en",), 40, ("day",)),
    Agent("N2", "Ned", "nyc", ("en",), 40, ("day",)),
    Agent("D1", "Dara", "dub", ("en", "ja"), 40, ("day", "night")),
    Agent("D2", "Aoife", "dub", ("en",), 40, ("day",)),
    Agent("S1", "Sam", "syd", ("en", "ja"), 40, ("day",)),
)


def march_2026(start: date = date(2026, 3, 2), days: int = 42) -> Scenario:
    """The three sites from Monday 2 March 2026 (42 days: to Sunday 12 April)."""
    queue = QueueService(service_level=0.8, answer_seconds=20)
    horizon = Horizon(start, days, 60)
    return Scenario(
        name="march 2026",
        horizon=horizon,
        phone=queue,
        chat=queue,
        email=EmailService(),
        staffing=Staffing(),
        coverage=Coverage(),
        rules=Rules(),
        sites=SITES,
        agents=AGENTS,
        required=tuple(
            RequiredRow(instant, language, 1)
            for instant in horizon.interval_starts()[:1]
            for language in ("en", "ja")
        ),
    )
