"""One clock for a solve: each phase asks it for its time instead of patching
shares of the limit in place."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Budget:
    limit_seconds: float
    started: float = field(default_factory=time.monotonic)
    reserved_seconds: float = 0.0
    """Kept after the search for the last phases (a last greedy fill, the polish)."""

    @property
    def deadline(self) -> float:
        return self.started + self.limit_seconds

    @property
    def search_deadline(self) -> float:
        """When the search phases must stop so the last ones end by the deadline."""
        return self.deadline - self.reserved_seconds

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def share(self, fraction: float) -> float:
        """``fraction`` of the whole limit, never more than what is left."""
        return min(self.left(), fraction * self.limit_seconds)
