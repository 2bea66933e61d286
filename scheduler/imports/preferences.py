"""preferences.csv (a Sunshift extension beyond the v1.1 contract, optional): what agents
would like, one row each: ``agent_id,kind,value``.

``kind`` is ``shift`` (value: a shift id the agent may work: he prefers it),
``day_off`` (value: a weekday, ``mon`` .. ``sun``: he wants it off) or ``avoid_date``
(value: a date of the horizon he would rather not work). The optimizer honours them
where they cost no coverage; at most ``PREFERENCE_LIMITS`` of each kind per agent, so
nobody's wishes crowd out everyone else's.
"""

from __future__ import annotations

from collections import Counter

from scheduler.domain import PREFERENCE_KINDS, Agent, Horizon, Preference
from scheduler.imports.errors import Issues
from scheduler.imports.history import known_agent
from scheduler.imports.tables import Cells, Table
from scheduler.imports.values import DATE_EXPECTED, BadValue, text_date

REQUIRED_COLUMNS = ("agent_id", "kind", "value")
OPTIONAL_COLUMNS = ()
PREFERENCE_LIMITS = {"shift": 3, "day_off": 2, "avoid_date": 4}
"""Default limits per agent and period (a planner may set others per period)."""
KIND_EXPECTED = "one of " + ", ".join(PREFERENCE_KINDS)


WEEKDAY_NAMES = {
    name: number
    for number, full in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
    for name in (full, full[:3])
}


def weekday_number(text: str) -> int:
    """``mon`` .. ``sun`` (or the full English name, any case) to 0 .. 6."""
    number = WEEKDAY_NAMES.get(text.strip().lower())
    if number is None:
        raise BadValue("is not a weekday", "a weekday: mon, tue, wed, thu, fri, sat or sun")
    return number


def read_preferences(
    table: Table,
    agents: dict[str, Agent],
    agent_ids: set[str] | None,
    horizon: Horizon | None,
    issues: Issues,
    limits: dict[str, int] = PREFERENCE_LIMITS,
) -> list[Preference]:
    found: list[Preference] = []
    counts: Counter[tuple[str, str]] = Counter()
    for row in table.rows:
        cells = Cells(table, row, issues)
        agent_id = cells.value("agent_id", known_agent(agent_ids), "an id from agents.csv")
        kind = cells.value("kind", _kind, KIND_EXPECTED)
        raw = row.get("value") or ""
        if agent_id is None or kind is None:
            continue
        preference = _preference(cells, agents.get(agent_id), agent_id, kind, raw, horizon)
        if preference is None:
            continue
        counts[agent_id, kind] += 1
        if counts[agent_id, kind] > limits[kind]:
            cells.error(
                "kind",
                kind,
                f"is agent {agent_id}'s {counts[agent_id, kind]}th {kind} preference",
                f"at most {limits[kind]} {kind} preferences per agent",
            )
            continue
        if preference not in found:
            found.append(preference)
    return found


def _preference(
    cells: Cells, agent: Agent | None, agent_id: str, kind: str, raw: str, horizon: Horizon | None
) -> Preference | None:
    if kind == "shift":
        allowed = agent.shift_ids if agent is not None else None
        expected = "a shift id the agent may work" + (f" ({', '.join(allowed)})" if allowed else "")
        shift_id = cells.value("value", str, expected)
        if shift_id is None:
            return None
        if allowed is not None and shift_id not in allowed:
            cells.error("value", raw, f"is not a shift agent {agent_id} may work", expected)
            return None
        return Preference(agent_id, kind, shift_id=shift_id)
    if kind == "day_off":
        weekday = cells.value("value", weekday_number, "a weekday: mon .. sun")
        return None if weekday is None else Preference(agent_id, kind, weekday=weekday)
    day = cells.value("value", text_date, DATE_EXPECTED)
    if day is None:
        return None
    if horizon is not None and day not in horizon.dates:
        cells.error(
            "value",
            raw,
            "is outside the horizon",
            f"a date from {horizon.dates[0].isoformat()} to {horizon.dates[-1].isoformat()}",
        )
        return None
    return Preference(agent_id, kind, date=day)


def _kind(text: str) -> str:
    kind = text.strip().lower()
    if kind not in PREFERENCE_KINDS:
        raise BadValue("is not a kind of preference", KIND_EXPECTED)
    return kind
