"""The search's building blocks: the greedy start keeps every rule, the
neighbourhood search never makes the roster worse, and the capacity bound
never exceeds what the best roster achieves."""

import time
from dataclasses import replace

from solver.bounds import capacity_bound
from solver.evaluate import objective_terms
from solver.greedy import greedy_roster
from solver.input import SolveLimits
from solver.lns import improve
from tests.unit.solver.test_coverage import brute_force_shortfall, keeps_rules
from tests.unit.solver.tiny import agent, option, problem, solve, valid_roster


def two_sites_week():
    options = [option(d, s, 8) for d in range(7) for s in (6, 14, 22)]
    agents = [
        agent(
            range(len(options)),
            languages=(i % 2,),
            weekly_hours=40,
            rest_hours=11,
            max_consecutive=5,
            days_off=2,
        )
        for i in range(8)
    ]
    demand = [([1] * 6 + [3] * 12 + [1] * 6) * 7, [1] * 168]
    return problem(7, options, agents, required=demand, floor=(1, 0))


def test_greedy_roster_keeps_every_rule():
    p = two_sites_week()
    chosen = greedy_roster(p).chosen
    for a, ag in enumerate(p.agents):
        picks = sorted((o for b, o in chosen if b == a), key=lambda o: p.options[o].start_minute)
        assert keeps_rules(p, ag, picks)
        days = [p.options[o].day for o in picks]
        assert len(days) == len(set(days)) <= 5


def test_neighbourhood_search_never_worsens_the_roster():
    p = two_sites_week()
    start = set(greedy_roster(p).chosen)
    before = objective_terms(p, sorted(start))
    after = objective_terms(p, sorted(improve(p, start, time.monotonic() + 6, SolveLimits(6))))
    assert (after["floor_gaps"], after["shortfall"]) <= (before["floor_gaps"], before["shortfall"])


def test_capacity_bound_is_a_lower_bound():
    options = [option(d, s, 8) for d in range(3) for s in (6, 14)]
    agents = [
        agent(range(6), languages=(0,), weekly_hours=16, rest_hours=11),
        agent(range(6), languages=(0, 1), weekly_hours=24, rest_hours=11),
    ]
    p = problem(3, options, agents, required=[[2] * 72, [1] * 72])
    assert capacity_bound(p) <= brute_force_shortfall(p)
    assert solve(p, seconds=5).shortfall_bound <= brute_force_shortfall(p)


def test_locked_shifts_outside_a_neighbourhood_stay_locked():
    # two sites, two weeks: while site 0's first week is re-planned, agent 1 (site 1)
    # is kept only for the shifts overlapping that week, not his locked day-12 shift
    options = [option(d, s, 8) for d in range(14) for s in (6, 14)]
    agents = [
        replace(agent(range(len(options)), languages=(0,), weekly_hours=40, days_off=2), site=i % 2)
        for i in range(4)
    ]
    locked_option = next(o for o in agents[1].options if options[o].day == 12)
    p = replace(problem(14, options, agents), locked=frozenset({(1, locked_option)}))
    result = solve(p, seconds=4)
    assert (1, locked_option) in result.chosen


def test_local_search_keeps_every_rule_and_never_worsens_coverage():
    from solver.local_search import FLOOR_COST, LocalSearch

    p = two_sites_week()
    start = set(greedy_roster(p).chosen)
    before = objective_terms(p, sorted(start))
    search = LocalSearch(p, start, seed=3)
    after_roster = search.run(time.monotonic() + 30, max_steps=3_000)
    after = objective_terms(p, sorted(after_roster))
    # one floor gap is worth FLOOR_COST agent-intervals of shortfall, as in the model
    assert FLOOR_COST * after["floor_gaps"] + after["shortfall"] <= (
        FLOOR_COST * before["floor_gaps"] + before["shortfall"]
    )
    # its own per-interval cost is the exact allocation's, floors first
    assert sum(search.cost) == FLOOR_COST * after["floor_gaps"] + after["shortfall"]
    for a, ag in enumerate(p.agents):
        picks = sorted(
            (o for b, o in after_roster if b == a), key=lambda o: p.options[o].start_minute
        )
        assert keeps_rules(p, ag, picks)
        days = sorted(p.options[o].day for o in picks)
        assert len(days) == len(set(days)) <= 5
        runs = [d for i, d in enumerate(days) if days[i : i + 6] == list(range(d, d + 6))]
        assert not runs  # never six dates in a row (max_consecutive=5)


def test_local_search_goes_for_a_floor_gap_among_a_month_of_shortfall():
    """One evening without anyone (a floor gap) among 672 short hours: the search
    closes it in a few steps, not when chance picks one of its 8 hours (1 in 84)."""
    from solver.local_search import local_search

    days = 28
    options = [option(d, start, 8) for d in range(days) for start in (0, 8, 16)]
    agents = [agent(range(len(options))) for _ in range(6)]
    p = problem(days, options, agents, required=[[3] * days * 24], floor=(1,))
    # two agents on each of a day's three shifts (everyone short by one), but on
    # date 10 the evening's two are off: nobody there
    start = {(a, 3 * d + a // 2) for a in range(6) for d in range(days) if d != 10 or a < 4}
    assert objective_terms(p, sorted(start))["floor_gaps"] == 8
    for seed in range(5):
        after = local_search(p, start, time.monotonic() + 30, seed=seed, max_steps=25)
        assert objective_terms(p, sorted(after))["floor_gaps"] == 0, seed


def test_local_search_keeps_locked_shifts():
    from solver.local_search import local_search

    p = two_sites_week()
    start = set(greedy_roster(p).chosen)
    locked = frozenset(sorted(start)[:5])
    p = replace(p, locked=locked)
    after = local_search(p, start, time.monotonic() + 30, seed=1, max_steps=3_000)
    assert locked <= after


def test_language_windows_keep_every_rule_and_never_worsen(monkeypatch):
    """The cross-site language neighbourhoods alone keep every rule and never worsen."""
    import solver.lns as lns

    monkeypatch.setattr(lns, "MIX", "language")
    p = two_sites_week()
    start = set(greedy_roster(p).chosen)
    before = objective_terms(p, sorted(start))
    chosen = improve(p, start, time.monotonic() + 6, SolveLimits(6, 1, 1), rounds=8)
    after = objective_terms(p, sorted(chosen))
    assert (after["floor_gaps"], after["shortfall"]) <= (before["floor_gaps"], before["shortfall"])
    for a, ag in enumerate(p.agents):
        picks = sorted((o for b, o in chosen if b == a), key=lambda o: p.options[o].start_minute)
        assert keeps_rules(p, ag, picks)


def test_progress_ticks_while_the_search_waits_for_the_lp(monkeypatch):
    """With two workers the search waits for the LP's roster (a 1,000-agent month's
    LP takes 35-40 s of a 60 s solve): meanwhile the clock the planner sees moves."""
    import solver.model as model

    real = model.lp_bound

    def slow_lp(*args, **kwargs):
        time.sleep(3)  # a large month's LP; the real one follows
        return real(*args, **kwargs)

    monkeypatch.setattr(model, "lp_bound", slow_lp)
    p = two_sites_week()
    seen = []
    model.solve_roster(p, SolveLimits(8.0, 1, 2), seen.append)
    phases = [progress.phase for progress in seen]
    waiting = [progress.elapsed_seconds for progress in seen if progress.phase == "bound"]
    assert len(waiting) >= 2 and waiting == sorted(waiting)
    assert phases.index("bound") < phases.index("lp start")  # its roster came after


def test_the_local_search_tells_its_true_shortfall_while_it_runs(monkeypatch):
    """A 60 s solve's local search may run 20 s: it tells its shortfall every second
    (every 200 steps here), and what it tells is its roster's, evaluated afresh."""
    import solver.local_search as local_module
    from solver.local_search import LocalSearch

    monkeypatch.setattr(local_module, "TICK_SECONDS", 0.0)
    p = two_sites_week()
    search = LocalSearch(p, set(greedy_roster(p).chosen), seed=3)
    told = []

    def tick(floor_gaps: int, shortfall: int) -> None:
        roster = [(a, o) for a, by_day in enumerate(search.chosen_index) for o in by_day.values()]
        terms = objective_terms(p, sorted(roster))
        told.append(((floor_gaps, shortfall), (terms["floor_gaps"], terms["shortfall"])))

    search.run(time.monotonic() + 60, max_steps=1_000, tick=tick)
    assert len(told) >= 4
    assert all(mine == evaluated for mine, evaluated in told)
    assert told[0][0][0] > 0  # floor gaps among them (the greedy leaves some here)


def test_a_solve_reports_from_inside_its_local_searches(monkeypatch):
    """The planner's progress comes from inside the searches (a 60 s solve's search
    from the LP's roster may run 21 s), not only when each ends."""
    import solver.local_search as local_module
    import solver.model as model

    monkeypatch.setattr(local_module, "TICK_SECONDS", 0.0)
    p = two_sites_week()
    seen = []
    model.solve_roster(p, SolveLimits(4.0, 1, 2), seen.append)
    from_the_lp_roster = [progress for progress in seen if progress.phase == "lp start"]
    assert len(from_the_lp_roster) >= 3  # its ticks, then its end


def test_a_neighbourhood_result_worse_than_its_hint_is_dropped(monkeypatch) -> None:
    """CP-SAT stopped before it reaches its hint returns a worse roster (a loaded
    machine): the neighbourhood search drops it, so no step makes the roster worse."""
    import solver.lns as lns
    from solver.evaluate import coverage_cost
    from solver.input import Progress
    from solver.roster_model import RosterModel

    worse: list[str] = []

    class StoppedBeforeTheHint(RosterModel):
        """The real neighbourhood model solved by CP-SAT, with the freed shifts all off:
        a roster that keeps every rule but covers less than the hint, as CP-SAT's
        first solution may when it is stopped that early."""

        def __init__(self, problem, fixed: set[tuple[int, int]] | None = None) -> None:
            super().__init__(problem, fixed)
            for key, var in self.variables.assigned.items():
                if key not in (fixed or set()):
                    self.model.add(var == 0)

        def solve_once(
            self, start: set[tuple[int, int]], limits: SolveLimits
        ) -> set[tuple[int, int]] | None:
            result = super().solve_once(start, limits)
            if result is not None and coverage_cost(self.problem, result) > coverage_cost(
                self.problem, start
            ):
                worse.append("worse than its hint")
            return result

    monkeypatch.setattr(lns, "RosterModel", StoppedBeforeTheHint)
    p = two_sites_week()
    start = set(greedy_roster(p).chosen)
    before = coverage_cost(p, start)
    seen: list[Progress] = []
    after = improve(p, start, time.monotonic() + 60, SolveLimits(1, 1, 1), seen.append, rounds=6)
    assert worse, "no neighbourhood came back worse than its hint: nothing was tested"
    assert coverage_cost(p, after) <= before
    assert all(progress.shortfall <= before[1] for progress in seen)  # after every step
    assert len(seen) == 6  # dropped neighbourhoods report too: elapsed always moves
    for a, ag in enumerate(p.agents):
        picks = sorted((o for b, o in after if b == a), key=lambda o: p.options[o].start_minute)
        assert keeps_rules(p, ag, picks)


def test_the_local_search_allocates_every_presence_as_the_min_cost_flow_does():
    """Its per-interval cost (one search from every language set at once, direct
    allocation first) is the exact allocation's: shortfall, floors first."""
    import random

    from solver.allocation import allocate, staffed_by_language
    from solver.local_search import FLOOR_COST, LocalSearch

    sets = [(0,), (1,), (0, 1), (1, 2), (0, 2, 3), (2, 3), (0, 1, 2, 3), (3,)]
    options = [option(0, 0, 24)]
    agents = [agent([0], languages=s) for s in sets]
    rng = random.Random(5)
    demand = [[rng.choice([0, 1, 2, 4, 7]) for _ in range(24)] for _ in range(4)]
    p = problem(1, options, agents, required=demand, floor=(1, 1, 0, 1))
    search = LocalSearch(p, set(), seed=0)
    for trial in range(400):
        t = trial % 24
        present = [rng.choice([0, 0, 1, 2, 3, 6]) for _ in search.groups]
        search.present[t] = present
        required = {lang: demand[lang][t] for lang in range(4)}
        staffed = staffed_by_language(
            allocate(
                dict(zip(search.groups, present, strict=True)), required, dict(enumerate(p.floor))
            )
        )
        expected = sum(
            need - staffed.get(lang, 0) + FLOOR_COST * (staffed.get(lang, 0) < p.floor[lang])
            for lang, need in required.items()
            if need > 0
        )
        assert search._uncached_cost(t) == expected, (t, present)


def test_an_lp_that_cannot_finish_is_not_started_and_the_capacity_bound_stays(monkeypatch):
    """A 2,500-agent month at 60 s: its LP would take eight times the limit, and running
    beside the greedy it only slows it. The search goes on without it; the bound is
    the capacity bound, never above the roster's shortfall."""
    import solver.model as model

    started = []
    real = model.lp_bound
    monkeypatch.setattr(model, "lp_bound", lambda *a, **k: started.append(1) or real(*a, **k))
    p = two_sites_week()
    monkeypatch.setattr(model, "lp_seconds_expected", lambda problem: 100.0)
    for workers in (1, 2):
        result = model.solve_roster(p, SolveLimits(3.0, 0, workers))
        assert not started
        assert result.shortfall_bound == min(capacity_bound(p), result.shortfall)
        assert result.lp_value is None and result.bound_by_language == {}
        assert valid_roster(p, result.chosen)
    # expected within four times its share, it runs
    monkeypatch.setattr(model, "lp_seconds_expected", lambda problem: 9.0)
    model.solve_roster(p, SolveLimits(3.0, 0, 2))
    assert started
