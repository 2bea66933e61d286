"""Erlang A (M/M/N+M) against a birth-death chain solved numerically, and its limits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from scheduler.requirements import erlang_a, erlang_c


def chain_reference(agents: int, traffic: float, handling: float, answer: float, patience: float):
    """Independent slow reference: the truncated birth-death chain and, for a tagged
    arrival that finds j callers ahead, the chain of its own queue position (ahead
    callers leave at N mu + j theta, it hangs up at theta), solved with expm."""
    mu, theta = 1 / handling, 1 / patience
    lam = traffic * mu
    size = agents + 400
    weights = [1.0]
    for n in range(1, size):
        weights.append(weights[-1] * lam / (min(n, agents) * mu + max(n - agents, 0) * theta))
    states = np.array(weights) / sum(weights)
    ahead_max = size - agents
    # Transient states j = 0..ahead_max-1 callers ahead, plus absorbing "answered".
    generator = np.zeros((ahead_max + 1, ahead_max + 1))
    for j in range(ahead_max):
        move = agents * mu + j * theta
        generator[j, j] = -(move + theta)
        generator[j, j - 1 if j else ahead_max] = move
    answered_by = expm(generator * answer)[:ahead_max, ahead_max]
    transient = generator[:ahead_max, :ahead_max]
    exits = generator[:ahead_max, ahead_max]
    answered = -np.linalg.solve(transient, exits)
    answered_wait = np.linalg.solve(transient, np.linalg.solve(transient, exits))
    delayed = states[agents:]
    queue = np.arange(ahead_max)
    waiting = delayed.sum()
    abandonment = theta * (delayed * queue).sum() / lam
    return {
        "waiting": waiting,
        "service_level": states[:agents].sum() + (delayed * answered_by).sum(),
        "abandonment": abandonment,
        "asa": (delayed * answered_wait).sum() / (1 - abandonment),
        "occupancy": traffic * (1 - abandonment) / agents,
        "answered_check": states[:agents].sum() + (delayed * answered).sum(),
    }


CASES = [
    (14, 10.0, 180.0, 20.0, 300.0),
    (3, 2.5, 300.0, 20.0, 60.0),
    (8, 12.0, 240.0, 30.0, 120.0),  # overloaded: abandonment keeps it stable
    (25, 20.0, 600.0, 60.0, 900.0),
    (1, 0.3, 400.0, 20.0, 30.0),
]


@pytest.mark.parametrize(("agents", "traffic", "handling", "answer", "patience"), CASES)
def test_measures_equal_birth_death_chain(agents, traffic, handling, answer, patience):
    reference = chain_reference(agents, traffic, handling, answer, patience)
    found = erlang_a.measures(agents, traffic, handling, answer, patience)
    assert found.probability_of_waiting == pytest.approx(reference["waiting"], rel=1e-9)
    assert found.service_level == pytest.approx(reference["service_level"], rel=1e-8)
    assert found.abandonment == pytest.approx(reference["abandonment"], rel=1e-8)
    assert found.occupancy == pytest.approx(reference["occupancy"], rel=1e-9)
    assert found.asa_seconds == pytest.approx(reference["asa"], rel=1e-6)
    assert 1 - found.abandonment == pytest.approx(reference["answered_check"], rel=1e-9)


def test_matches_pyworkforce_published_snapshot():
    # rodrigo-arenas/pyworkforce queuing/tests/test_abandonment.py: 100 calls / 30 min,
    # AHT 3 min, 20 s, patience 5 min, 14 agents (their own birth-death implementation).
    found = erlang_a.measures(14, 10.0, 180.0, 20.0, 300.0)
    assert round(found.probability_of_waiting, 5) == 0.14526
    assert round(found.abandonment, 6) == 0.013984
    assert round(found.occupancy, 6) == 0.704297
    assert round(found.service_level, 6) == 0.916792


@pytest.mark.parametrize("patience", [1e8, 1e10, 1e12])
def test_patient_callers_converge_to_erlang_c(patience):
    found = erlang_a.measures(14, 10.0, 180.0, 20.0, patience)
    assert found.service_level == pytest.approx(erlang_c.service_level(14, 10.0, 180, 20), 1e-5)
    assert found.asa_seconds == pytest.approx(
        erlang_c.average_speed_of_answer(14, 10.0, 180), rel=1e-4
    )


def test_large_traffic_is_finite_and_sensible():
    traffic = 5000 * 600 / 900
    found = erlang_a.measures(3300, traffic, 600.0, 20.0, 120.0)
    assert 0 < found.abandonment < 0.2
    assert 0 < found.service_level < 1
    needed = erlang_a.agents_needed(traffic, 600.0, 20.0, 0.8, 1.0, 120.0)
    assert erlang_a.measures(needed, traffic, 600.0, 20.0, 120.0).service_level >= 0.8
    assert erlang_a.measures(needed - 1, traffic, 600.0, 20.0, 120.0).service_level < 0.8


def test_impatient_callers_need_no_more_agents_than_erlang_c():
    # Callers who hang up shorten the queue for the rest, but count as misses.
    assert erlang_a.agents_needed(10.0, 180.0, 20.0, 0.8, 1.0, 300.0) <= 14


def test_zero_traffic_needs_zero_agents():
    assert erlang_a.agents_needed(0.0, 180.0, 20.0, 0.8, 0.85, 300.0) == 0


def test_missing_patience_is_rejected():
    with pytest.raises(ValueError, match="patience"):
        erlang_a.agents_needed(3.0, 180.0, 20.0, 0.8, 0.85, 0.0)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=0.0, max_value=80.0),
    st.floats(min_value=0.0, max_value=20.0),
    st.sampled_from([120.0, 300.0, 600.0]),
    st.sampled_from([30.0, 120.0, 600.0]),
    st.floats(min_value=0.3, max_value=0.95),
    st.floats(min_value=0.0, max_value=0.04),
)
def test_more_traffic_or_stricter_target_never_needs_fewer(
    traffic, more, handling, patience, target, raise_by
):
    base = erlang_a.agents_needed(traffic, handling, 20.0, target, 0.9, patience)
    assert erlang_a.agents_needed(traffic + more, handling, 20.0, target, 0.9, patience) >= base
    stricter = erlang_a.agents_needed(traffic, handling, 20.0, target + raise_by, 0.9, patience)
    assert stricter >= base
