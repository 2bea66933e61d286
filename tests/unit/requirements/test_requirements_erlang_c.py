"""Erlang C against a published worked example, an exact slow reference and properties."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.requirements import erlang_c

# ---------------------------------------------------------------- published example
# Call Centre Helper, "Erlang C Formula - Example" (callcentrehelper.com/
# erlang-c-formula-example-121281.htm): 100 calls in 30 minutes, AHT 180 s, 80% within
# 20 s, max occupancy 85%, shrinkage 30%: 14 agents (20 after shrinkage), service level
# 88.8%, occupancy 71.4%, probability of waiting 17.4%. The same figures are asserted in
# pyworkforce's tests (rodrigo-arenas/pyworkforce, queuing/tests/test_erlang.py).
EXAMPLE_TRAFFIC = 100 * 180 / 1800  # 10 Erlangs


def test_call_centre_helper_example_needs_14_agents():
    assert erlang_c.agents_needed(EXAMPLE_TRAFFIC, 180, 20, 0.80, 0.85) == 14


def test_call_centre_helper_example_measures_at_14_agents():
    assert round(erlang_c.service_level(14, EXAMPLE_TRAFFIC, 180, 20), 3) == 0.888
    assert round(erlang_c.occupancy(14, EXAMPLE_TRAFFIC), 3) == 0.714
    assert round(erlang_c.probability_of_waiting(14, EXAMPLE_TRAFFIC), 3) == 0.174


def test_call_centre_helper_example_13_agents_miss_the_target():
    assert erlang_c.service_level(13, EXAMPLE_TRAFFIC, 180, 20) < 0.80


# ---------------------------------------------------------------- exact reference
def exact_erlang_c(agents: int, traffic: Fraction) -> Fraction:
    """Textbook Erlang C in exact rational arithmetic (fine for small N only)."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    below = sum(traffic**k / math.factorial(k) for k in range(agents))
    return top / (below + top)


def exact_service_level(
    agents: int, traffic: Fraction, handling: Fraction, answer: Fraction
) -> Decimal:
    with localcontext() as context:
        context.prec = 50
        waiting = exact_erlang_c(agents, traffic)
        exponent = -(agents - traffic) * answer / handling
        decay = (Decimal(exponent.numerator) / Decimal(exponent.denominator)).exp()
        return 1 - Decimal(waiting.numerator) / Decimal(waiting.denominator) * decay


def exact_agents_needed(
    traffic: Fraction, handling: Fraction, answer: Fraction, target: Fraction, cap: Fraction
) -> int:
    agents = 1
    while True:
        if agents > traffic and traffic / agents <= cap:
            level = exact_service_level(agents, traffic, handling, answer)
            if level >= Decimal(target.numerator) / Decimal(target.denominator):
                return agents
        agents += 1


GRID = [
    (volume, aht, interval_seconds, answer, target, cap)
    for volume in ("0.4", "3", "17.5", "60", "130")
    for aht in (240, 600)
    for interval_seconds in (900, 3600)
    for answer, target in ((20, "0.8"), (60, "0.9"), (10, "0.5"))
    for cap in ("0.85", "1")
]


@pytest.mark.parametrize(("volume", "aht", "interval_seconds", "answer", "target", "cap"), GRID)
def test_agents_needed_equals_exact_reference(volume, aht, interval_seconds, answer, target, cap):
    traffic = Fraction(volume) * aht / interval_seconds
    expected = exact_agents_needed(
        traffic, Fraction(aht), Fraction(answer), Fraction(target), Fraction(cap)
    )
    found = erlang_c.agents_needed(float(traffic), aht, answer, float(target), float(cap))
    assert found == expected


@pytest.mark.parametrize("traffic", [Fraction(1, 3), Fraction(5), Fraction(47, 2), Fraction(80)])
@pytest.mark.parametrize("extra", [1, 3, 10])
def test_measures_equal_exact_reference(traffic, extra):
    agents = math.floor(traffic) + extra
    waiting = exact_erlang_c(agents, traffic)
    assert erlang_c.probability_of_waiting(agents, float(traffic)) == pytest.approx(
        float(waiting), rel=1e-12
    )
    level = exact_service_level(agents, traffic, Fraction(300), Fraction(20))
    assert erlang_c.service_level(agents, float(traffic), 300, 20) == pytest.approx(
        float(level), rel=1e-12, abs=1e-15
    )
    asa = waiting * 300 / (agents - traffic)
    assert erlang_c.average_speed_of_answer(agents, float(traffic), 300) == pytest.approx(
        float(asa), rel=1e-12
    )


def test_erlang_b_series_and_log_space_agree_with_exact_values():
    for agents, traffic in ((3, Fraction(5)), (40, Fraction(41)), (60, Fraction(45))):
        terms = [traffic**k / math.factorial(k) for k in range(agents + 1)]
        exact = terms[-1] / sum(terms)
        assert erlang_c.erlang_b(agents, float(traffic)) == pytest.approx(float(exact), rel=1e-12)


# ---------------------------------------------------------------- large traffic
def test_5000_contacts_per_15_minutes_at_600_s_is_stable():
    traffic = 5000 * 600 / 900  # 3,333 Erlangs
    agents = erlang_c.agents_needed(traffic, 600, 20, 0.8, 1.0)
    assert traffic < agents < traffic + 100
    assert erlang_c.service_level(agents, traffic, 600, 20) >= 0.8
    assert erlang_c.service_level(agents - 1, traffic, 600, 20) < 0.8
    # With the occupancy cap the cap binds: ceil(A / 0.85).
    assert erlang_c.agents_needed(traffic, 600, 20, 0.8, 0.85) == math.ceil(traffic / 0.85)


def test_huge_traffic_gives_finite_probabilities():
    for agents, traffic in ((20_001, 20_000.0), (100_500, 100_000.0)):
        waiting = erlang_c.probability_of_waiting(agents, traffic)
        assert 0 < waiting < 1
        assert 0 < erlang_c.erlang_b(agents, traffic) < 1


def test_vectorised_search_equals_one_at_a_time():
    rng = np.random.default_rng(7)
    traffic = np.round(rng.gamma(2.0, 15.0, size=300), 3)
    traffic[::17] = 0
    handling = rng.choice([180.0, 300.0, 600.0], size=300)
    together = erlang_c.agents_needed_many(traffic, handling, 20, 0.8, 0.85)
    pairs = zip(traffic, handling, strict=True)
    alone = [erlang_c.agents_needed(a, h, 20, 0.8, 0.85) for a, h in pairs]
    assert together.tolist() == alone


# ---------------------------------------------------------------- edges
def test_zero_traffic_needs_zero_agents():
    assert erlang_c.agents_needed(0.0, 300, 20, 0.8, 0.85) == 0
    assert erlang_c.service_level(0, 0.0, 300, 20) == 1.0


def test_overloaded_queue_has_no_service():
    assert erlang_c.service_level(5, 5.0, 300, 20) == 0.0
    assert erlang_c.average_speed_of_answer(4, 5.0, 300) == math.inf
    assert erlang_c.probability_of_waiting(5, 5.0) == 1.0


def test_occupancy_cap_with_float_noise_is_met_exactly():
    # 8.5 contacts x 360 s / 3600 s = 0.85 Erlangs: one agent is exactly at the 85% cap.
    traffic = 8.5 * 360 / 3600
    assert erlang_c.minimum_stable_agents(np.array([traffic]), 0.85).tolist() == [1.0]


@pytest.mark.parametrize(
    ("target", "cap"), [(1.0, 0.85), (0.0, 0.85), (1.2, 0.85), (0.8, 0.0), (0.8, 1.5)]
)
def test_meaningless_targets_are_rejected(target, cap):
    with pytest.raises(ValueError, match="must be in"):
        erlang_c.agents_needed(5.0, 300, 20, target, cap)


def test_negative_traffic_is_rejected():
    with pytest.raises(ValueError, match="traffic"):
        erlang_c.agents_needed(-1.0, 300, 20, 0.8, 0.85)


def test_zero_handling_time_is_rejected():
    with pytest.raises(ValueError, match="handling time"):
        erlang_c.service_level(5, 2.0, 0, 20)


# ---------------------------------------------------------------- properties
traffic_values = st.floats(min_value=0.0, max_value=400.0, allow_nan=False)
handling_values = st.sampled_from([60.0, 180.0, 300.0, 600.0, 1200.0])
targets = st.floats(min_value=0.05, max_value=0.99)
caps = st.floats(min_value=0.5, max_value=1.0)


@settings(max_examples=200, deadline=None)
@given(traffic_values, st.floats(min_value=0.0, max_value=50.0), handling_values, targets, caps)
def test_more_traffic_never_needs_fewer_agents(traffic, more, handling, target, cap):
    fewer = erlang_c.agents_needed(traffic, handling, 20, target, cap)
    assert erlang_c.agents_needed(traffic + more, handling, 20, target, cap) >= fewer


@settings(max_examples=200, deadline=None)
@given(
    traffic_values,
    handling_values,
    targets,
    st.floats(min_value=0.0, max_value=0.5),
    st.sampled_from([5.0, 20.0, 60.0]),
    st.floats(min_value=0.0, max_value=15.0),
    caps,
    st.floats(min_value=0.0, max_value=0.3),
)
def test_stricter_target_never_needs_fewer_agents(
    traffic, handling, target, raise_by, answer, sooner_by, cap, lower_cap_by
):
    loose = erlang_c.agents_needed(traffic, handling, answer, target, cap)
    strict_target = min(0.999, target + raise_by)
    strict_answer = max(0.0, answer - sooner_by)
    strict_cap = max(0.2, cap - lower_cap_by)
    assert erlang_c.agents_needed(traffic, handling, answer, strict_target, cap) >= loose
    assert erlang_c.agents_needed(traffic, handling, strict_answer, target, cap) >= loose
    assert erlang_c.agents_needed(traffic, handling, answer, target, strict_cap) >= loose


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0.01, max_value=400.0), handling_values, targets, caps)
def test_agents_needed_is_the_fewest_meeting_both_targets(traffic, handling, target, cap):
    agents = erlang_c.agents_needed(traffic, handling, 20, target, cap)
    assert erlang_c.service_level(agents, traffic, handling, 20) >= target
    assert traffic / agents <= cap + 1e-9
    fewer = agents - 1
    misses_level = fewer <= traffic or erlang_c.service_level(fewer, traffic, handling, 20) < target
    assert misses_level or traffic / fewer > cap + 1e-9
