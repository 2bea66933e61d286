"""Email as deferrable work: what arrives in an interval is worked over its window.

The spec spreads the workload volume x aht / interval seconds arriving in an
interval evenly over the ``response_hours`` window that starts with it. A window
that is not a whole number of intervals puts the share of its last, partial
interval there. Load that would fall past the horizon end is dropped.
"""

from __future__ import annotations

import numpy as np


def spread_weights(response_hours: float, interval_minutes: int) -> np.ndarray:
    """Share of one interval's email work done in it and in each following interval."""
    if not response_hours > 0:
        raise ValueError(f"email response_hours must be > 0, got {response_hours!r}")
    if interval_minutes <= 0:
        raise ValueError(f"interval_minutes must be > 0, got {interval_minutes!r}")
    window_seconds = response_hours * 3600.0
    interval_seconds = interval_minutes * 60.0
    count = int(np.ceil(window_seconds / interval_seconds - 1e-9))
    offsets = np.arange(count) * interval_seconds
    overlap = np.clip(window_seconds - offsets, 0.0, interval_seconds)
    return overlap / window_seconds


def spread_email_load(
    workload: np.ndarray, response_hours: float, interval_minutes: int
) -> np.ndarray:
    """Agents busy on email per interval, from the workload arriving per interval.

    ``workload[i]`` is volume x aht / interval seconds of interval i; the result
    has the same length (what lands past the last interval is dropped).
    """
    workload = np.asarray(workload, dtype=float)
    if workload.size == 0:
        return workload.copy()
    weights = spread_weights(response_hours, interval_minutes)
    return np.convolve(workload, weights)[: workload.size]
