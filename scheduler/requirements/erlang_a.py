"""Erlang A (M/M/N+M, Palm): a queue whose callers hang up after exponential patience.

Rates per second: arrivals lam = A / h, service mu = 1 / h, abandonment
theta = 1 / patience. With x = N mu / theta and y = lam / theta, the virtual
wait V (what an infinitely patient caller would wait) has an atom at 0 and, on
V > 0, density N mu pi_N exp(y (1 - e^(-theta v)) - N mu v) (Baccelli and
Hebuterne 1981; Garnett, Mandelbaum and Reiman 2002; Mandelbaum and Zeltyn),
where pi_N = E / (1 + (N mu J - 1) E), E is Erlang B(N, A) and J is that
density's integral without its constant. Every integral is an incomplete gamma
function (``scipy.special.gammainc``), taken in log space so large traffic does
not overflow. A caller is answered iff patience > V, so:

- answered within t = P(V = 0) + N mu pi_N K(t), with
  K(t) = int_0^t exp(y (1 - e^(-theta v)) - (N mu + theta) v) dv;
- abandonment = P(V > 0) - N mu pi_N K(inf);
- occupancy = A (1 - abandonment) / N (only answered contacts are worked).

Agents may be fractional (Erlang B's continuous extension) for projections.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.special import gammainc, gammaincc, gammaln

from scheduler.requirements.erlang_c import OCCUPANCY_NOISE, check_target, erlang_b


@dataclass(frozen=True)
class ErlangAMeasures:
    """Steady-state measures of one staffed interval of an Erlang A queue."""

    probability_of_waiting: float
    service_level: float
    """Answered within the answer time, over all arrivals (abandoned ones fail)."""
    abandonment: float
    """Share of arrivals that hang up before being answered."""
    asa_seconds: float
    """Mean wait of answered contacts."""
    occupancy: float


def _scaled_lower_gamma(order: float, y: float) -> float:
    """e^y y^-order gamma(order, y) as the series sum_k y^k / (order (order+1) ... (order+k)).

    Used when order > y and the regularized gamma underflows (very patient
    callers, very large rates): every term is positive and shrinks by y / (order + k).
    """
    if y == 0:
        return 1.0 / order
    terms = int(min(40.0 * math.sqrt(order) + 100.0, 40.0 / math.log((order + 1.0) / y) + 20.0))
    steps = np.log(y) - np.log(order + np.arange(1, terms + 1))
    return float((1.0 + np.exp(np.cumsum(steps)).sum()) / order)


def _log_window(order: float, y: float, lower: float) -> float:
    """ln of e^y y^-order int_lower^y s^(order - 1) e^-s ds (-inf when it is 0)."""
    if lower >= y:
        return -math.inf
    below = gammainc(order, y)
    if below < 1e-250 and order > y:
        partial = 0.0
        if lower > 0:
            shift = y - lower - order * math.log(y / lower)
            partial = math.exp(shift) * _scaled_lower_gamma(order, lower)
        difference = _scaled_lower_gamma(order, y) - partial
        return math.log(difference) if difference > 0 else -math.inf
    if below < 0.5:
        difference = below - gammainc(order, lower)
    else:
        difference = gammaincc(order, lower) - gammaincc(order, y)
    if difference <= 0:
        return -math.inf
    return float(y - order * math.log(y) + gammaln(order) + math.log(difference))


def _integral(order: float, y: float, theta: float, horizon_seconds: float) -> float:
    """int_0^t exp(y (1 - e^(-theta v)) - order theta v) dv, t may be infinite."""
    lower = 0.0 if math.isinf(horizon_seconds) else y * math.exp(-theta * horizon_seconds)
    return math.exp(_log_window(order, y, lower)) / theta


def _check(agents: float, traffic: float, handling: float, patience: float) -> None:
    if traffic < 0 or not math.isfinite(traffic):
        raise ValueError(f"traffic must be a finite number >= 0, got {traffic!r}")
    if agents < 0 or not math.isfinite(agents):
        raise ValueError(f"agents must be a finite number >= 0, got {agents!r}")
    if not handling > 0:
        raise ValueError(f"handling time must be > 0 seconds, got {handling!r}")
    if not patience > 0 or not math.isfinite(patience):
        raise ValueError(f"patience must be > 0 seconds, got {patience!r}")


def measures(
    agents: float,
    traffic: float,
    handling_seconds: float,
    answer_seconds: float,
    patience_seconds: float,
    *,
    with_asa: bool = True,
) -> ErlangAMeasures:
    """Erlang A measures for ``agents`` (may be fractional) and offered ``traffic``."""
    _check(agents, traffic, handling_seconds, patience_seconds)
    if answer_seconds < 0:
        raise ValueError(f"answer time must be >= 0 seconds, got {answer_seconds!r}")
    if traffic == 0:
        return ErlangAMeasures(0.0, 1.0, 0.0, 0.0, 0.0)
    if agents == 0:
        return ErlangAMeasures(1.0, 0.0, 1.0, math.inf, 0.0)
    mu = 1.0 / handling_seconds
    theta = 1.0 / patience_seconds
    lam = traffic * mu
    x, y = agents * mu / theta, lam / theta
    blocking = erlang_b(agents, traffic)
    rate = agents * mu
    wait_integral = _integral(x, y, theta, math.inf)
    pi_full = blocking / (1.0 + (rate * wait_integral - 1.0) * blocking)
    waiting = min(1.0, rate * wait_integral * pi_full)
    answered_late = rate * pi_full * _integral(x + 1.0, y, theta, math.inf)
    answered_in_time = rate * pi_full * _integral(x + 1.0, y, theta, answer_seconds)
    abandonment = min(1.0, max(0.0, waiting - answered_late))
    level = min(1.0, max(0.0, (1.0 - waiting) + answered_in_time))
    busy = min(1.0, traffic * (1.0 - abandonment) / agents)
    asa = math.nan
    if with_asa:
        asa = _answered_wait(rate * pi_full, x, y, theta, 1.0 - abandonment)
    return ErlangAMeasures(waiting, level, abandonment, asa, busy)


def _answered_wait(scale: float, x: float, y: float, theta: float, answered: float) -> float:
    """Mean wait of answered contacts: int v f_V(v) e^(-theta v) dv / P(answered).

    int v exp(y (1 - e^(-theta v)) - c v) dv is minus the derivative in c of the
    same integral without v, whose logarithm F(order = c / theta) is a log
    incomplete gamma: a central difference of F in the order gives it.
    """
    if answered <= 0:
        return math.inf
    if scale <= 0:
        return 0.0
    order = x + 1.0
    step = 1e-4 * max(1.0, order)
    slope = (_log_window(order + step, y, 0.0) - _log_window(order - step, y, 0.0)) / (2 * step)
    if not math.isfinite(slope):
        return 0.0
    weighted = scale * math.exp(_log_window(order, y, 0.0)) / theta * (-slope / theta)
    return float(max(0.0, weighted / answered))


def agents_needed(
    traffic: float,
    handling_seconds: float,
    answer_seconds: float,
    target: float,
    max_occupancy: float,
    patience_seconds: float,
) -> int:
    """Fewest whole agents with Erlang A service level >= target and occupancy <= cap."""
    check_target(target, max_occupancy)
    _check(0, traffic, handling_seconds, patience_seconds)
    if answer_seconds < 0:
        raise ValueError(f"answer time must be >= 0 seconds, got {answer_seconds!r}")
    return _agents_needed_cached(
        float(traffic),
        float(handling_seconds),
        float(answer_seconds),
        float(target),
        float(max_occupancy),
        float(patience_seconds),
    )


@lru_cache(maxsize=200_000)
def _agents_needed_cached(
    traffic: float,
    handling: float,
    answer: float,
    target: float,
    max_occupancy: float,
    patience: float,
) -> int:
    if traffic == 0:
        return 0

    def meets(agents: int) -> bool:
        found = measures(agents, traffic, handling, answer, patience, with_asa=False)
        return found.service_level >= target and found.occupancy <= max_occupancy + OCCUPANCY_NOISE

    # Both measures improve with every added agent: gallop up, then bisect.
    low, high, step = 0, max(1, int(traffic)), 1
    while not meets(high):
        low, high, step = high, high + step, step * 2
    while high - low > 1:
        middle = (low + high) // 2
        if meets(middle):
            high = middle
        else:
            low = middle
    return high


def agents_needed_many(
    traffic: np.ndarray,
    handling_seconds: np.ndarray,
    answer_seconds: float,
    target: float,
    max_occupancy: float,
    patience_seconds: float,
) -> np.ndarray:
    """``agents_needed`` per element (cached on exact inputs)."""
    traffic = np.asarray(traffic, dtype=float)
    handling = np.broadcast_to(np.asarray(handling_seconds, dtype=float), traffic.shape)
    result = np.zeros(traffic.shape, dtype=np.int64)
    for index in np.flatnonzero(traffic > 0):
        result[index] = agents_needed(
            traffic[index],
            handling[index],
            answer_seconds,
            target,
            max_occupancy,
            patience_seconds,
        )
    return result
