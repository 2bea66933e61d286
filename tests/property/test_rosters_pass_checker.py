"""Whatever the rules and the staff, every roster the solver returns passes the
independent checker (the solver and the checker are written apart)."""

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.checker import check_roster
from scheduler.imports import load_scenario
from scheduler.pipeline import SolveOptions, solve_scenario
from scheduler.requirements import compute_requirements
from tests.conftest import FIXTURES

EXAMPLE = load_scenario(FIXTURES / "spec_example" / "scenario")


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    rest=st.sampled_from([8, 11, 12.5, 14]),
    consecutive=st.integers(min_value=2, max_value=6),
    days_off=st.integers(min_value=1, max_value=3),
    works_holidays=st.booleans(),
    keep=st.integers(min_value=8, max_value=40),
)
def test_every_solved_roster_passes_the_checker(rest, consecutive, days_off, works_holidays, keep):
    rules = replace(
        EXAMPLE.rules,
        min_rest_hours=rest,
        max_consecutive_days=consecutive,
        min_days_off_per_week=days_off,
        work_on_public_holidays=works_holidays,
    )
    sites = tuple(replace(site, rules=rules) for site in EXAMPLE.sites)
    agents = EXAMPLE.agents[:keep]
    kept = {a.id for a in agents}
    scenario = replace(
        EXAMPLE,
        sites=sites,
        agents=agents,
        time_off=tuple(t for t in EXAMPLE.time_off if t.agent_id in kept),
    )
    solved = solve_scenario(scenario, SolveOptions(time_limit_seconds=1.5, seed=1))
    assert solved.roster.assignments
    assert check_roster(scenario, solved.roster, compute_requirements(scenario)) == []
