"""history.csv (v1.1): shifts worked before the horizon, as a previous roster.csv
wrote them, so the rules that look back see across the start of the period.

Checked per row: a known agent, the times as ISO instants with an offset and in
order, and ``date`` both before the horizon and the local date of ``start_utc`` at
the agent's site. roster.csv's other columns are allowed and ignored.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from scheduler.domain import Agent, HistoryShift, Horizon, Site
from scheduler.imports.errors import Issues
from scheduler.imports.tables import Cells, Table
from scheduler.imports.values import (
    DATE_EXPECTED,
    INSTANT_EXPECTED,
    BadValue,
    text_date,
    text_instant_utc,
)

REQUIRED_COLUMNS = ("agent_id", "date", "shift", "start_utc", "end_utc")
OPTIONAL_COLUMNS = ("site", "start_local", "end_local")
"""The rest of roster.csv's columns: a previous roster.csv is a valid history.csv."""


def read_history(
    table: Table,
    agents: dict[str, Agent] | None,
    agent_ids: set[str] | None,
    sites: dict[str, Site],
    horizon: Horizon | None,
    issues: Issues,
) -> list[HistoryShift]:
    """The history rows; ``agent_ids`` is every id written in agents.csv (None if it
    could not be read), ``agents`` the valid ones, to find each row's site."""
    shifts: list[HistoryShift] = []
    for row in table.rows:
        cells = Cells(table, row, issues)
        agent_id = cells.value("agent_id", known_agent(agent_ids), "an id from agents.csv")
        day = cells.value("date", text_date, DATE_EXPECTED)
        shift_id = cells.value("shift", str, "the shift's id, as roster.csv wrote it")
        start = cells.value("start_utc", text_instant_utc, INSTANT_EXPECTED)
        end = cells.value("end_utc", text_instant_utc, INSTANT_EXPECTED)
        if start is not None and end is not None and end <= start:
            cells.error(
                "end_utc", row.get("end_utc"), "is not after start_utc", "an end after the start"
            )
            continue
        if day is not None and horizon is not None and day >= horizon.start:
            cells.error(
                "date",
                row.get("date"),
                f"is not before the horizon's start {horizon.start.isoformat()}",
                "a date before the horizon: history holds shifts already worked",
            )
            continue
        if None in (agent_id, day, shift_id, start, end):
            continue
        agent = (agents or {}).get(agent_id)
        site = sites.get(agent.site_id) if agent is not None else None
        if site is not None:
            local = start.astimezone(ZoneInfo(site.timezone)).date()
            if local != day:
                cells.error(
                    "date",
                    row.get("date"),
                    f"is not the local date of start_utc at site {site.id} ({local.isoformat()})",
                    "the date the shift starts on in the site's time zone",
                )
                continue
        shifts.append(HistoryShift(agent_id, day, shift_id, start, end))
    return shifts


def known_agent(agent_ids: set[str] | None):
    """A cell check: the text is an id written in agents.csv (any, when it could not be read)."""

    def check(text: str) -> str:
        if agent_ids is not None and text not in agent_ids:
            raise BadValue("is not an agent in agents.csv", "an id from agents.csv")
        return text

    return check
