"""A language's supply counts the hours its speakers' shifts can reach, not their
contracts: four 8.5-hour shifts reach 34 of 40 contract hours, and a planner reading
"40 h" would expect a fifth shift no roster may give."""

from __future__ import annotations

from datetime import time

import pytest

from scheduler.domain import Agent, Rules, ShiftTemplate, Site
from web.summary import weekly_reachable_hours


def _site(*hours: float, days_off: int = 2) -> Site:
    shifts = tuple(
        ShiftTemplate(f"s{i}", time(6 + 2 * i), length) for i, length in enumerate(hours)
    )
    return Site(
        "dub",
        "Dublin",
        "EMEA",
        "IE",
        "",
        "Europe/Dublin",
        shifts,
        Rules(min_days_off_per_week=days_off),
    )


def _agent(contract: float, *shift_ids: str) -> Agent:
    return Agent("a1", "A", "dub", ("en",), contract, shift_ids)


@pytest.mark.parametrize(
    ("hours", "allowed", "contract", "days_off", "reach"),
    [
        ((8.5,), ("s0",), 40, 2, 34.0),  # 5 x 8.5 = 42.5 passes the contract: four
        ((8.0,), ("s0",), 40, 2, 40.0),  # 8 h shifts add up to the contract
        ((8.0,), ("s0",), 40, 3, 32.0),  # three days off leave four dates
        ((8.5, 6.0), ("s0", "s1"), 40, 2, 40.0),  # 4 x 8.5 + 6 = 40 on five dates
        ((9.0, 8.0), ("s1",), 20, 2, 16.0),  # only his allowed 8 h shift counts
    ],
)
def test_weekly_reachable_hours(hours, allowed, contract, days_off, reach):
    assert (
        weekly_reachable_hours(_agent(contract, *allowed), _site(*hours, days_off=days_off))
        == reach
    )
