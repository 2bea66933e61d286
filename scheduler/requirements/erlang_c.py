"""Erlang C (M/M/N) queue measures and the fewest agents meeting a service target.

Stable at any traffic: Erlang B comes from log-space Poisson terms (no factorials,
no overflow) or from a positive series, and the staffing search starts at the
first stable N and walks up with the Erlang B recursion, which damps errors.
``traffic`` is offered load in Erlangs (arrivals x handling time / interval).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaincc, gammaln

OCCUPANCY_NOISE = 1e-9
"""Slack for float noise in A / N <= max_occupancy (A = 8.5 x 360 / 3600 is 0.85)."""


def _check_traffic(agents: float, traffic: float) -> None:
    if traffic < 0 or not math.isfinite(traffic):
        raise ValueError(f"traffic must be a finite number >= 0, got {traffic!r}")
    if agents < 0 or not math.isfinite(agents):
        raise ValueError(f"agents must be a finite number >= 0, got {agents!r}")


def _log_erlang_b(agents: np.ndarray | float, traffic: np.ndarray | float):
    """ln B(N, A) = ln(A^N e^-A / Gamma(N + 1)) - ln Q(N + 1, A); any real N > 0.

    Accurate when N >= A (Q is then at least about 1/2); also the continuous
    extension of Erlang B used for fractional agents in projections.
    """
    log_pmf = agents * np.log(traffic) - traffic - gammaln(agents + 1.0)
    return log_pmf - np.log(gammaincc(agents + 1.0, traffic))


def erlang_b(agents: float, traffic: float) -> float:
    """Blocking probability of M/M/N/N; continuous in N (fractional agents allowed)."""
    _check_traffic(agents, traffic)
    if traffic == 0:
        return 0.0
    if agents == 0:
        return 1.0
    if agents == int(agents) and agents <= traffic:
        # 1/B = sum_j N! / ((N - j)! A^j): positive terms shrinking by (N - j) / A.
        n = int(agents)
        total, term = 1.0, 1.0
        for j in range(n):
            term *= (n - j) / traffic
            total += term
            if term < 1e-17 * total:
                break
        return 1.0 / total
    upper = gammaincc(agents + 1.0, traffic)
    if upper == 0.0:  # N far below A: B tends to 1 - N / A
        return max(0.0, 1.0 - agents / traffic)
    return float(np.exp(_log_erlang_b(agents, traffic)))


def probability_of_waiting(agents: float, traffic: float) -> float:
    """Erlang C: chance an arrival waits; 1 when N <= A (the queue never empties)."""
    _check_traffic(agents, traffic)
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    blocking = erlang_b(agents, traffic)
    return agents * blocking / (agents - traffic * (1.0 - blocking))


def service_level(
    agents: float, traffic: float, handling_seconds: float, answer_seconds: float
) -> float:
    """Share of contacts answered within ``answer_seconds``: 1 - C e^(-(N - A) t / h)."""
    _check_handling(handling_seconds, answer_seconds)
    if traffic == 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    waiting = probability_of_waiting(agents, traffic)
    return 1.0 - waiting * math.exp(-(agents - traffic) * answer_seconds / handling_seconds)


def average_speed_of_answer(agents: float, traffic: float, handling_seconds: float) -> float:
    """Mean wait over all contacts, C h / (N - A); infinite when N <= A."""
    _check_handling(handling_seconds, 0.0)
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return probability_of_waiting(agents, traffic) * handling_seconds / (agents - traffic)


def occupancy(agents: float, traffic: float) -> float:
    """Share of agents' time on contacts, A / N (at most 1: an overloaded queue is full)."""
    _check_traffic(agents, traffic)
    if traffic == 0:
        return 0.0
    if agents == 0:
        return 1.0
    return min(1.0, traffic / agents)


def _check_handling(handling_seconds: float, answer_seconds: float) -> None:
    if not handling_seconds > 0:
        raise ValueError(f"handling time must be > 0 seconds, got {handling_seconds!r}")
    if answer_seconds < 0:
        raise ValueError(f"answer time must be >= 0 seconds, got {answer_seconds!r}")


def check_target(target: float, max_occupancy: float) -> None:
    """Reject targets no finite staffing meets (SL 1) or that mean nothing."""
    if not 0 < target < 1:
        raise ValueError(f"service level target must be in (0, 1), got {target!r}")
    if not 0 < max_occupancy <= 1:
        raise ValueError(f"max occupancy must be in (0, 1], got {max_occupancy!r}")


def minimum_stable_agents(traffic: np.ndarray, max_occupancy: float) -> np.ndarray:
    """First N with N > A (a stable queue) and A / N <= max_occupancy."""
    stable = np.floor(traffic) + 1.0
    capped = np.ceil(traffic / max_occupancy - OCCUPANCY_NOISE)
    return np.maximum(stable, capped)


def agents_needed_many(
    traffic: np.ndarray,
    handling_seconds: np.ndarray,
    answer_seconds: float,
    target: float,
    max_occupancy: float,
) -> np.ndarray:
    """Fewest agents per element meeting the service level and the occupancy cap.

    Vectorised: Erlang B is computed once at the first feasible N of every
    element, then every element still short of the target steps up together.
    Duplicated (traffic, handling) pairs are solved once. Zero traffic needs 0.
    """
    check_target(target, max_occupancy)
    traffic = np.asarray(traffic, dtype=float)
    handling = np.broadcast_to(np.asarray(handling_seconds, dtype=float), traffic.shape)
    if np.any(traffic < 0) or not np.all(np.isfinite(traffic)):
        raise ValueError("traffic must be finite and >= 0")
    if np.any(handling[traffic > 0] <= 0):
        raise ValueError("handling time must be > 0 seconds where there is traffic")
    result = np.zeros(traffic.shape, dtype=np.int64)
    busy = traffic > 0
    if not busy.any():
        return result
    pairs = np.stack([traffic[busy], handling[busy]], axis=1)
    unique_pairs, inverse = np.unique(pairs, axis=0, return_inverse=True)
    load, hold = unique_pairs[:, 0], unique_pairs[:, 1]
    agents = minimum_stable_agents(load, max_occupancy)
    blocking = np.exp(_log_erlang_b(agents, load))
    short = np.arange(load.size)
    while short.size:
        a, n, b = load[short], agents[short], blocking[short]
        waiting = n * b / (n - a * (1.0 - b))
        level = 1.0 - waiting * np.exp(-(n - a) * answer_seconds / hold[short])
        short = short[level < target]
        a, b = load[short], blocking[short]
        agents[short] += 1.0
        blocking[short] = a * b / (agents[short] + a * b)
    result[busy] = agents.astype(np.int64)[inverse.reshape(-1)]
    return result


def agents_needed(
    traffic: float,
    handling_seconds: float,
    answer_seconds: float,
    target: float,
    max_occupancy: float = 1.0,
) -> int:
    """Fewest agents N with service level >= target and A / N <= max_occupancy."""
    _check_traffic(0, traffic)
    if traffic > 0:
        _check_handling(handling_seconds, answer_seconds)
    found = agents_needed_many(
        np.array([traffic]), np.array([handling_seconds]), answer_seconds, target, max_occupancy
    )
    return int(found[0])
