"""A cancelled solve stops its LP bound: the thread computing it must not go on
beside the next job (on a two-core worker it held both cores for up to a minute)."""

import logging
import random
import threading
import time

import pytest

from solver.bounds import capacity_bound
from solver.input import SolveLimits
from solver.lp_bound import LpStop, lp_bound
from solver.model import solve_roster
from tests.unit.solver.tiny import agent, option, problem


class Cancelled(Exception):
    """What the job monitor raises from the progress callback."""


def four_busy_weeks(agents: int = 240):
    """240 agents who differ (each allowed 60% of the shifts), three languages, four
    weeks: an LP of four weekly parts that takes about 4.5 s on two threads, then
    3.5 s of per-language bounds; its greedy about 1 s (alone, on a quiet machine)."""
    rng = random.Random(1)
    days = 28
    options = [option(d, s, 8) for d in range(days) for s in range(0, 24, 2)]
    staff = [
        agent(
            [o for o in range(len(options)) if rng.random() < 0.6],
            languages=(i % 3,) if i % 4 else (0, (i // 4) % 3),
            weekly_hours=40,
            rest_hours=11,
            max_consecutive=5,
            days_off=2,
        )
        for i in range(agents)
    ]
    demand = [[rng.randint(2, 9) for _ in range(days * 24)] for _ in range(3)]
    return problem(days, options, staff, required=demand, floor=(1, 1, 0))


def lp_threads() -> set[threading.Thread]:
    return {thread for thread in threading.enumerate() if thread.name == "lp-bound"}


def test_a_cancelled_solve_stops_its_lp_bound(caplog):
    p = four_busy_weeks()
    before = lp_threads()
    running: set[threading.Thread] = set()

    def cancel(progress) -> None:  # the first report, after the greedy: the LP is at work
        running.update(lp_threads() - before)
        raise Cancelled

    caplog.set_level(logging.DEBUG, logger="solver")
    with pytest.raises(Cancelled):
        solve_roster(p, SolveLimits(60.0, 1, 2), cancel)
    cancelled = time.monotonic()
    assert running, "the LP bound was not running when the solve was cancelled"
    while any(thread.is_alive() for thread in running) and time.monotonic() < cancelled + 2.0:
        time.sleep(0.05)
    assert not any(thread.is_alive() for thread in running), "the LP goes on after a cancel"
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_stopped_lp_bound_returns_at_once_with_a_valid_bound():
    """Stopped from another thread mid-way, the LP returns within a moment (its
    interior points interrupted, not waited for: the first round of parts alone takes
    half the whole LP), with the bound of the parts so far: at least the capacity
    bound, never above the whole LP's."""
    p = four_busy_weeks()
    began = time.monotonic()
    whole = lp_bound(p, time_limit=60, threads=2)
    whole_seconds = time.monotonic() - began
    assert whole.status == "optimal"
    stop = LpStop()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    stopped = lp_bound(p, time_limit=60, threads=2, stop=stop)
    assert time.monotonic() - started < 0.5 + whole_seconds / 4
    assert stopped.status == "stopped"
    assert capacity_bound(p) <= stopped.bound <= whole.bound
