"""time_off.csv: approved absences, inclusive local dates of a known agent."""

from __future__ import annotations

from collections.abc import Callable

from scheduler.domain import TimeOff
from scheduler.imports.errors import Issues
from scheduler.imports.tables import Cells, Table
from scheduler.imports.values import DATE_EXPECTED, BadValue, text_date

REQUIRED_COLUMNS = ("agent_id", "start_date", "end_date")
OPTIONAL_COLUMNS = ("reason",)


def read_time_off(table: Table, agent_ids: set[str] | None, issues: Issues) -> list[TimeOff]:
    """``agent_ids`` is every id written in agents.csv, or None if it could not be read."""
    absences: list[TimeOff] = []
    for row in table.rows:
        cells = Cells(table, row, issues)
        agent_id = cells.value("agent_id", _agent_check(agent_ids), "an id from agents.csv")
        start = cells.value("start_date", text_date, DATE_EXPECTED)
        end = cells.value("end_date", text_date, DATE_EXPECTED)
        reason = cells.value("reason", str, "a reason", required=False) or ""
        if start is not None and end is not None and end < start:
            cells.error(
                "end_date",
                row.get("end_date"),
                f"is before start_date {start.isoformat()}",
                "an end date on or after the start date; both days are included",
            )
            continue
        if agent_id is None or start is None or end is None:
            continue
        absences.append(TimeOff(agent_id, start, end, reason))
    return absences


def _agent_check(agent_ids: set[str] | None) -> Callable[[str], str]:
    def check(text: str) -> str:
        if agent_ids is not None and text not in agent_ids:
            raise BadValue("is not an agent in agents.csv", "an id from agents.csv")
        return text

    return check
