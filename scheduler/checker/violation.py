"""One broken rule, phrased for the planner who has to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Violation:
    """A hard rule a roster breaks: which rule, whose shift, which local date, and why.

    ``agent_id`` and ``date`` are None for findings about the whole roster
    (a coverage row or the summary); coverage findings carry the UTC date.
    """

    rule: str
    agent_id: str | None
    date: date | None
    message: str

    def __str__(self) -> str:
        where = [part for part in (self.agent_id, self.date and self.date.isoformat()) if part]
        return " ".join([*where, f"{self.rule}: {self.message}"])

    def sort_key(self) -> tuple:
        """Agents first (by id, date), then roster-wide findings by date."""
        return (
            self.agent_id is None,
            self.agent_id or "",
            self.date or date.min,
            self.rule,
            self.message,
        )
