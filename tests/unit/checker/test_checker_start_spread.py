"""The optional site rule ``max_start_time_spread_hours``: start times in a 7-day block
stay within that many hours of each other on the local clock."""

from __future__ import annotations

import dataclasses
from datetime import time, timedelta

from checker_builders import MONDAY, agent, roster, scenario, shift, site

from scheduler.checker import check_roster
from scheduler.domain import Rules, ShiftTemplate

DUBLIN_NIGHTS = (
    ShiftTemplate("late", time(22, 0), 8),
    ShiftTemplate("small_hours", time(1, 0), 6),
    ShiftTemplate("early", time(7, 0), 8),
)


def spread_scenario(hours: float | None):
    dub = site("dub", shifts=DUBLIN_NIGHTS, rules=Rules(max_start_time_spread_hours=hours))
    worker = agent("A1", "dub", shift_ids=("late", "small_hours", "early"))
    return scenario((worker,), sites=(dub,))


def found(sc, rows):
    return [(v.rule, v.agent_id, v.date, v.message) for v in check_roster(sc, roster(sc, rows))]


def test_starts_apart_across_midnight_count_the_short_way_round():
    sc = spread_scenario(4)
    rows = [shift(sc, "A1", MONDAY, "late"), shift(sc, "A1", MONDAY + timedelta(2), "small_hours")]
    assert found(sc, rows) == []  # 22:00 and 01:00 are 3 h apart


def test_a_start_too_far_from_another_in_the_block_is_reported_once():
    sc = spread_scenario(4)
    rows = [
        shift(sc, "A1", MONDAY, "late"),
        shift(sc, "A1", MONDAY + timedelta(2), "small_hours"),
        shift(sc, "A1", MONDAY + timedelta(4), "early"),  # 9 h from 22:00
    ]
    [(rule, agent_id, day, message)] = found(sc, rows)
    assert (rule, agent_id, day) == ("start_time_spread", "A1", MONDAY)
    assert "22:00" in message and "07:00" in message and "9 h apart" in message
    assert "allows 4 h" in message


def test_the_next_block_starts_afresh_and_no_rule_means_no_bound():
    sc = spread_scenario(4)
    rows = [shift(sc, "A1", MONDAY, "late"), shift(sc, "A1", MONDAY + timedelta(7), "early")]
    assert found(sc, rows) == []
    unbounded = spread_scenario(None)
    rows = [
        shift(unbounded, "A1", MONDAY, "late"),
        shift(unbounded, "A1", MONDAY + timedelta(2), "early"),
    ]
    assert found(unbounded, rows) == []


def test_rules_default_has_no_bound():
    assert dataclasses.fields(Rules)  # the key is optional
    assert Rules().max_start_time_spread_hours is None
