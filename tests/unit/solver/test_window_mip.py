"""Window MIPs (solver/window_mip.py): a window of dates re-planned at once keeps every
hard rule, across the week's edges too, and never makes the roster worse."""

import random
import threading
import time
from dataclasses import replace

import pytest

from solver import window_mip
from solver.evaluate import objective_terms
from solver.greedy import greedy_roster
from solver.input import SolveLimits
from solver.model import solve_roster
from solver.window_mip import (
    _clash,
    agent_parts,
    improve_windows,
    neighbours,
    share_out,
    solve_window,
    window_order,
    window_problem,
    windows,
)
from tests.unit.solver.tiny import agent, option, problem, valid_roster

SHIFT_HOURS = (6, 14, 22)


@pytest.fixture
def quick_mips(monkeypatch):
    """Seconds, not what a month's windows get: these windows are tiny."""
    monkeypatch.setattr(window_mip, "GOOD_SECONDS", 3.0)
    monkeypatch.setattr(window_mip, "MOST_SECONDS", 5.0)
    monkeypatch.setattr(window_mip, "LEAST_SECONDS", 1.0)


def _two_weeks(day_demand: int = 3):
    """Three 8-hour shifts a day; demand only in the day and evening."""
    options = [option(d, s, 8) for d in range(14) for s in SHIFT_HOURS]
    agents = [
        agent(range(len(options)), weekly_hours=40, rest_hours=11, max_consecutive=5, days_off=2)
        for _ in range(6)
    ]
    demand = [([0] * 6 + [day_demand] * 16 + [0] * 2) * 14]
    return problem(14, options, agents, required=demand)


def _nights(p) -> set[tuple[int, int]]:
    """Every agent on the night shift five dates a week: valid, at his weekly hours, and
    no single added shift fits (the greedy cannot help)."""
    chosen = set()
    for a in range(len(p.agents)):
        for week in (0, 7):
            for d in range(week, week + 5):
                chosen.add((a, 3 * d + 2))
    return chosen


def test_a_week_of_night_shifts_is_replanned_into_the_demand(quick_mips):
    p = _two_weeks()
    start = _nights(p)
    assert valid_roster(p, start)
    before = objective_terms(p, sorted(start))
    # the greedy cannot add a shift: every agent is at his weekly hours
    assert objective_terms(p, greedy_roster(p, start=sorted(start)).chosen) == before
    after_roster = improve_windows(p, start, time.monotonic() + 20)
    after = objective_terms(p, sorted(after_roster))
    assert valid_roster(p, after_roster)
    assert after["shortfall"] < before["shortfall"] / 2


def test_the_blocks_edge_keeps_rest_and_consecutive_days(quick_mips):
    """An agent on nights to the last date of week 1 (22:00-06:00, five dates in a
    row) may not start week 2 before 17:00, nor work its first date at all."""
    p = _two_weeks()
    chosen = {(0, 3 * d + 2) for d in range(2, 7)}
    block = window_problem(p, chosen, set(p.blocks[1]))
    sub_agent = block.problem.agents[0]
    starts = [p.options[o].start_minute % (24 * 60) for o in sub_agent.options]
    days = [p.options[o].day for o in sub_agent.options]
    assert [s for s, d in zip(starts, days, strict=True) if d == 7] == [22 * 60]  # rest
    assert {2, 3, 4, 5, 6} <= sub_agent.history_days  # the run the MIP's rows count
    # with the demand all on date 7, the week's MIP may not give him a sixth date in a row
    demand = [[1 if 7 * 24 <= t < 8 * 24 else 0 for t in range(14 * 24)]]
    lonely = problem(14, list(p.options), [p.agents[0]], demand)
    block = window_problem(lonely, chosen, set(lonely.blocks[1]))
    found = solve_window(block, chosen, 10.0)
    after = share_out(lonely, block, found, chosen)
    assert valid_roster(lonely, after)
    assert chosen <= after
    assert all(lonely.options[o].day != 7 for _, o in after)
    # date 6's night covers 0:00-6:00 of date 7; the rest of it stays short
    assert objective_terms(lonely, sorted(after))["shortfall"] == 18


def test_the_window_with_most_shortfall_goes_first_and_neighbours_share_a_block_or_touch():
    p = problem(28, [option(d, 6, 8) for d in range(28)], [agent(range(28))], [[1] * 28 * 24])
    assert windows(p)[:3] == [(0, 1, 2, 3), (4, 5, 6), (7, 8, 9, 10)]
    # the next pass cuts the blocks elsewhere (a window spans the last pass's cut),
    # the one after takes whole blocks
    assert windows(p, "shifted")[:3] == [(0, 1, 2), (3, 4, 5, 6), (7, 8, 9)]
    assert windows(p, "agents")[:2] == [tuple(range(7)), tuple(range(7, 14))]
    everywhere_but_11_to_13 = {(0, d) for d in range(28) if d not in (11, 12, 13)}
    order = window_order(p, everywhere_but_11_to_13)
    assert order[0] == (11, 12, 13)
    assert sorted(order) == windows(p)
    assert neighbours(p, (0, 1, 2, 3), (4, 5, 6))  # one week's hours
    assert neighbours(p, (4, 5, 6), (7, 8, 9, 10))  # rest and runs across the week's end
    assert not neighbours(p, (0, 1, 2, 3), (7, 8, 9, 10))
    assert neighbours(p, (3, 4, 5, 6), (7, 8, 9)) and not neighbours(p, (0, 1, 2), (7, 8, 9))


def test_windows_have_as_many_intervals_not_dates_at_finer_intervals():
    """At 15 minutes a window's MIP over four dates is twice as large as at 30 and
    gained a quarter as much in the same time: windows take two dates there."""
    p = problem(28, [option(d, 6, 8) for d in range(28)], [agent(range(28))], [[1] * 28 * 24])
    at_30 = replace(p, interval_minutes=30, interval_count=28 * 48)
    at_15 = replace(p, interval_minutes=15, interval_count=28 * 96)
    assert windows(at_30)[:3] == [(0, 1, 2, 3), (4, 5, 6), (7, 8, 9, 10)]
    assert windows(at_15)[:5] == [(0, 1), (2, 3), (4, 5), (6,), (7, 8)]
    assert windows(at_15, "shifted")[:4] == [(0,), (1, 2), (3, 4), (5, 6)]
    assert windows(at_15, "agents")[:1] == [tuple(range(7))]


def _recorded_windows(monkeypatch) -> list[tuple[float, float, window_mip.WindowProblem]]:
    """(began, ended, window) of every window MIP, each held 0.3 s longer: long enough
    for the other core's window to overlap it."""
    spans = []
    real = window_mip.solve_window

    def recorded(window, *args):
        began = time.monotonic()
        time.sleep(0.3)
        found = real(window, *args)
        spans.append((began, time.monotonic(), window))
        return found

    monkeypatch.setattr(window_mip, "solve_window", recorded)
    return spans


def _overlapping(spans) -> list[tuple[window_mip.WindowProblem, window_mip.WindowProblem]]:
    """The pairs of windows whose MIPs ran at the same time."""
    return [
        (first[2], second[2])
        for k, first in enumerate(spans)
        for second in spans[k + 1 :]
        if first[0] < second[1] and second[0] < first[1]
    ]


def test_two_windows_run_at_once_and_never_neighbours(quick_mips, monkeypatch):
    """Two cores: a second window starts while the first runs, but never one whose
    dates a rule of the running one reaches."""
    p = _two_weeks()
    spans = _recorded_windows(monkeypatch)
    after = improve_windows(p, _nights(p), time.monotonic() + 20)
    assert valid_roster(p, after)

    def days(window) -> tuple[int, ...]:
        return tuple(sorted({p.options[o].day for o in window.free}))

    overlapping = [(days(one), days(other)) for one, other in _overlapping(spans)]
    assert overlapping, "the windows ran one at a time"
    assert not [pair for pair in overlapping if neighbours(p, *pair)]
    # the first pass gained, so more ran, with the blocks cut 3 + 4, then whole
    assert {(0, 1, 2, 3), (0, 1, 2), tuple(range(7))} <= {days(w) for _, _, w in spans}


@pytest.mark.parametrize("in_parts", [False, True])
def test_random_rosters_keep_every_rule_and_never_get_worse(quick_mips, monkeypatch, in_parts):
    """Also with every window re-planned a part of its agents at a time (as a
    1,000-agent month's are), identical agents (one group) among them."""
    if in_parts:
        monkeypatch.setattr(window_mip, "WHOLE_COLUMNS", 20)
        monkeypatch.setattr(window_mip, "PART_COLUMNS", 15)
        monkeypatch.setattr(window_mip, "AGENT_PART_COLUMNS", 25)
    for seed in range(4):
        rng = random.Random(seed)
        options = [option(d, s, rng.choice((6, 8))) for d in range(14) for s in SHIFT_HOURS]
        agents = [
            agent(
                [o for o in range(len(options)) if rng.random() < 0.8],
                languages=rng.choice(((0,), (1,), (0, 1))),
                weekly_hours=rng.choice((24, 32, 40)),
                rest_hours=11,
                max_consecutive=rng.choice((3, 5)),
                days_off=2,
            )
            for _ in range(8)
        ]
        agents += agents[:3]  # twins: a group of the window's MIP, shared out by CP-SAT
        demand = [[rng.choice((0, 1, 2, 3)) for _ in range(14 * 24)] for _ in range(2)]
        p = problem(14, options, agents, required=demand, floor=(1, 0))
        start = set(greedy_roster(p).chosen)
        before = objective_terms(p, sorted(start))
        after_roster = improve_windows(p, start, time.monotonic() + 10)
        after = objective_terms(p, sorted(after_roster))
        assert valid_roster(p, after_roster)
        assert (after["floor_gaps"], after["shortfall"]) <= (
            before["floor_gaps"],
            before["shortfall"],
        )


def test_a_failing_mip_leaves_the_roster_as_it_was(quick_mips, monkeypatch, caplog):
    p = _two_weeks()
    start = _nights(p)

    def broken(*args, **kwargs):
        raise RuntimeError("HiGHS gave up")

    monkeypatch.setattr(window_mip, "solve_window", broken)
    assert improve_windows(p, start, time.monotonic() + 10) == start
    assert "window MIP of dates" in caplog.text


@pytest.fixture
def window_phase_in_seconds(monkeypatch):
    """A solve of a few seconds has time for the window phase (tiny windows)."""
    monkeypatch.setattr(window_mip, "GOOD_SECONDS", 1.0)
    monkeypatch.setattr(window_mip, "WINDOW_OVERHEAD_SECONDS", 0.5)
    monkeypatch.setattr(window_mip, "LEAST_SECONDS", 0.5)


def test_the_solve_reports_progress_through_the_window_phase(window_phase_in_seconds):
    """With time for them (here: seconds, for tiny windows) the solve runs the window
    MIPs, says so in its progress, and returns a roster that keeps every rule."""
    p = _two_weeks()
    phases = []
    result = solve_roster(p, SolveLimits(8.0, 1, 2), lambda progress: phases.append(progress))
    assert "windows" in [progress.phase for progress in phases]
    elapsed = [progress.elapsed_seconds for progress in phases]
    assert elapsed == sorted(elapsed)
    assert valid_roster(p, set(result.chosen))
    assert result.shortfall == objective_terms(p, list(result.chosen))["shortfall"]


@pytest.mark.parametrize("expected_share, windows_run", [(0.2, True), (0.3, False)])
def test_no_window_phase_when_the_lp_is_not_expected_early(
    window_phase_in_seconds, monkeypatch, expected_share, windows_run
):
    """The windows start from the LP's roster: a month whose LP is expected to take
    over a quarter of the limit (a 1,000-agent month at 60 s) goes without them."""
    from solver import model

    monkeypatch.setattr(model, "lp_seconds_expected", lambda problem: expected_share * 8.0)
    phases: list[str] = []
    solve_roster(_two_weeks(), SolveLimits(8.0, 1, 2), lambda report: phases.append(report.phase))
    assert ("windows" in phases) == windows_run


def test_a_window_inside_a_week_keeps_the_weeks_hours_and_days_off(quick_mips):
    """Working dates 4-6 of the week (24 of his 40 h), an agent may add at most two
    8-hour shifts on dates 0-3, however much demand sits there."""
    p = _two_weeks()
    lonely = problem(14, list(p.options), [p.agents[0]], [[3] * 4 * 24 + [0] * 10 * 24])
    chosen = {(0, 3 * d + 1) for d in (4, 5, 6)}
    window = window_problem(lonely, chosen, {0, 1, 2, 3})
    assert window.problem.agents[0].max_minutes_per_block == (40 - 24) * 60
    found = solve_window(window, chosen, 10.0)
    after = share_out(lonely, window, found, chosen)
    assert valid_roster(lonely, after)
    assert len([o for _, o in after if lonely.options[o].day < 4]) == 2


def test_progress_ticks_while_the_mips_work_and_a_cancel_stops_the_phase(quick_mips, monkeypatch):
    """A cancelled job (its progress callback raises) stops within about a second,
    not at the end of the round's MIPs."""
    p = _two_weeks()
    start = _nights(p)

    def slow(*args, **kwargs):
        time.sleep(5)

    class Cancelled(Exception):
        pass

    def cancelled(roster):
        raise Cancelled

    monkeypatch.setattr(window_mip, "solve_window", slow)
    started = time.monotonic()
    with pytest.raises(Cancelled):
        improve_windows(p, start, time.monotonic() + 20, cancelled)
    assert time.monotonic() - started < 3


def test_a_stop_interrupts_a_running_highs_mip():
    """A cancelled solve leaves no MIP running on in its thread: HiGHS is interrupted
    from its callback (dormant until the stop), here on a market-split MIP it cannot
    finish in a minute."""
    import highspy
    import numpy as np

    from solver.lp_bound import LpStop, quiet_highs

    rng = random.Random(7)
    rows, columns = 6, 60
    weights = [[rng.randrange(100) for _ in range(columns)] for _ in range(rows)]
    highs = quiet_highs()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = columns + 2 * rows, rows
    # sum_j w_ij x_j + s_i+ - s_i- = half the row's weight, minimise the slacks
    lp.col_cost_ = np.array([0.0] * columns + [1.0] * 2 * rows)
    lp.col_lower_ = np.zeros(columns + 2 * rows)
    lp.col_upper_ = np.array([1.0] * columns + [highspy.kHighsInf] * 2 * rows)
    targets = np.array([sum(row) // 2 for row in weights], dtype=float)
    lp.row_lower_ = lp.row_upper_ = targets
    matrix = np.zeros((rows, columns + 2 * rows))
    for i, row in enumerate(weights):
        matrix[i, :columns] = row
        matrix[i, columns + 2 * i] = 1.0
        matrix[i, columns + 2 * i + 1] = -1.0
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum((matrix != 0).sum(axis=0))])
    lp.a_matrix_.index_ = np.concatenate(
        [np.nonzero(matrix[:, j])[0] for j in range(matrix.shape[1])]
    )
    lp.a_matrix_.value_ = np.concatenate(
        [matrix[matrix[:, j] != 0, j] for j in range(matrix.shape[1])]
    )
    lp.integrality_ = [highspy.HighsVarType.kInteger] * columns + [
        highspy.HighsVarType.kContinuous
    ] * (2 * rows)
    highs.passModel(lp)
    highs.setOptionValue("time_limit", 60.0)
    stop = LpStop()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    window_mip._run(highs, stop)
    assert time.monotonic() - started < 3
    assert highs.getModelStatus() == highspy.HighsModelStatus.kInterrupt


def test_when_no_window_fits_the_phase_is_skipped_and_returns_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No window a MIP can take (an agent's shifts alone more than a part's): the
    phase says it does not fit, and if run anyway hands the roster back unchanged at
    once, not at its deadline."""
    p = _two_weeks()
    start = _nights(p)
    assert window_mip.window_mip_fits(p, 60)  # 18 shift columns a date fit as they are
    # not even one agent's shifts of a date (three) fit
    monkeypatch.setattr(window_mip, "PART_COLUMNS", 2)
    monkeypatch.setattr(window_mip, "AGENT_PART_COLUMNS", 2)
    assert not window_mip.window_mip_fits(p, 3600)
    assert all(window_order(p, start, cut) == [] for cut in window_mip.CUTS)
    solved: list[object] = []
    real = window_mip.solve_window

    def recorded(*args: object, **kwargs: object) -> object:
        solved.append(args)
        return real(*args, **kwargs)

    class StillRunning(Exception):
        pass

    began = time.monotonic()

    def on_round(roster: set[tuple[int, int]]) -> None:
        if time.monotonic() - began > 3:  # stops a phase that loops on
            raise StillRunning

    monkeypatch.setattr(window_mip, "solve_window", recorded)
    returned: list[set[tuple[int, int]]] = []
    thread = threading.Thread(
        target=lambda: returned.append(improve_windows(p, start, began + 600, on_round)),
        daemon=True,  # a phase looping without progress must not hang the tests
    )
    thread.start()
    thread.join(timeout=5)
    assert returned == [start]
    assert time.monotonic() - began < 3  # not its deadline (600 s), on a loaded machine too
    assert not solved


def test_a_window_of_some_agents_replans_their_week_and_leaves_the_others_as_they_were():
    """Half the agents on nights, re-planned for their whole first week: they move into
    the demand; every shift of the other agents (on the same dates too) stays, and
    their own second week too."""
    p = _two_weeks()
    start = _nights(p)
    movable = frozenset({0, 2, 4})
    window = window_problem(p, start, set(p.blocks[0]), movable)
    assert window.frees(0, 0) and not window.frees(1, 0) and not window.frees(0, 3 * 7)
    assert not window.problem.agents[1].options  # the others only count as presence
    found = solve_window(window, start, 10.0, fix_agreed=False)
    after = share_out(p, window, found, start)
    assert valid_roster(p, after)
    assert {(a, o) for a, o in after if a not in movable} == {
        (a, o) for a, o in start if a not in movable
    }
    assert {(a, o) for a, o in after if p.options[o].day >= 7} == {
        (a, o) for a, o in start if p.options[o].day >= 7
    }
    first_week = [p.options[o] for a, o in after if a in movable and p.options[o].day < 7]
    assert first_week and all(option.start_minute % (24 * 60) != 22 * 60 for option in first_week)
    assert (
        objective_terms(p, sorted(after))["shortfall"]
        < objective_terms(p, sorted(start))["shortfall"]
    )


def test_the_agents_of_a_block_are_shared_into_disjoint_parts_of_a_size():
    p = _two_weeks()  # 6 agents, 21 shift columns each a week
    parts = agent_parts(p, tuple(p.blocks[0]), random.Random(1), 40)
    assert len(parts) == 4  # 126 columns in parts of at most about 40
    assert sorted(a for part in parts for a in part) == list(range(6))  # each agent once
    assert parts == agent_parts(p, tuple(p.blocks[0]), random.Random(1), 40)  # the same
    assert agent_parts(p, tuple(p.blocks[0]), random.Random(1), 2_000) == [frozenset(range(6))]


def test_a_window_of_dates_too_large_for_one_mip_is_replanned_in_parts_of_its_agents(
    monkeypatch,
):
    """A month of many agents: its windows of dates would keep HiGHS at its root, so
    each is re-planned a part of its agents at a time, the LP's agreement fixed."""
    p = _two_weeks()  # 6 agents x 3 options a date: 72 columns in a 4-date window
    monkeypatch.setattr(window_mip, "WHOLE_COLUMNS", 60)
    monkeypatch.setattr(window_mip, "PART_COLUMNS", 30)
    found = window_mip._pass(p, _nights(p), "even", random.Random(1))
    first = [(agents, fixed) for days, agents, fixed in found if days == (0, 1, 2, 3)]
    assert len(first) == 3 and all(fixed for _, fixed in first)
    assert sorted(a for agents, _ in first for a in agents) == list(range(6))
    monkeypatch.setattr(window_mip, "WHOLE_COLUMNS", 72)
    assert (
        (0, 1, 2, 3),
        None,
        True,
    ) in window_mip._pass(p, _nights(p), "even", random.Random(1))
    # the agents' cut frees every shift of its parts: nothing fixed by the LP
    agents_cut = window_mip._pass(p, _nights(p), "agents", random.Random(1))
    assert agents_cut and all(not fixed for _, _, fixed in agents_cut)


def test_parts_of_one_week_run_at_once_but_never_two_windows_of_one_agent():
    p = _two_weeks()
    week, next_week, far = tuple(range(7)), tuple(range(7, 14)), (0, 1, 2)
    assert not _clash(p, (week, frozenset({0, 1})), (week, frozenset({2, 3})))
    assert _clash(p, (week, frozenset({0, 1})), (week, frozenset({1, 2})))
    assert _clash(p, (week, frozenset({0})), (next_week, frozenset({0})))  # rest, runs
    assert _clash(p, (far, None), (week, frozenset({5})))  # every agent's dates
    assert not _clash(p, (far, None), ((7, 8, 9, 10), None))


def test_windows_of_parts_of_the_agents_gain_run_at_once_and_keep_every_rule(
    quick_mips, monkeypatch
):
    """Only the agents' cut, in parts of two agents: two parts of one week re-planned at
    once, never a shared agent, and the night roster moved into the demand."""
    p = _two_weeks()
    monkeypatch.setattr(window_mip, "CUTS", ("agents",))
    monkeypatch.setattr(window_mip, "AGENT_PART_COLUMNS", 42)
    spans = _recorded_windows(monkeypatch)
    start = _nights(p)
    after = improve_windows(p, start, time.monotonic() + 20)
    assert valid_roster(p, after)
    before = objective_terms(p, sorted(start))["shortfall"]
    assert objective_terms(p, sorted(after))["shortfall"] < before / 2
    assert all(len(window.movable) == 2 for _, _, window in spans)
    overlapping = _overlapping(spans)
    assert any(one.free == other.free for one, other in overlapping), "one week at a time"
    assert all(not one.movable & other.movable for one, other in overlapping)
