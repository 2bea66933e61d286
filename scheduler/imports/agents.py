"""agents.csv: one row per agent, checked against the sites of scenario.toml."""

from __future__ import annotations

from collections.abc import Callable

from scheduler.domain import Agent
from scheduler.imports.errors import Issues
from scheduler.imports.sites import SiteDeclarations
from scheduler.imports.tables import Cells, Table
from scheduler.imports.values import BadValue, language_code, text_list, text_number

REQUIRED_COLUMNS = ("id", "name", "site", "languages", "hours_per_week")
OPTIONAL_COLUMNS = ("email", "shifts", "employee_number")
HOURS_IN_A_WEEK = 168
HOURS_EXPECTED = f"contract hours per week > 0 and <= {HOURS_IN_A_WEEK}"


def read_agents(
    table: Table, declared: SiteDeclarations | None, issues: Issues
) -> tuple[list[Agent], dict[str, int]]:
    """Valid agents, and the line of every agent id written (valid or not).

    ``declared`` is None when scenario.toml could not be read; then site and
    shift columns are only checked for form.
    """
    agents: list[Agent] = []
    id_lines: dict[str, int] = {}
    for row in table.rows:
        cells = Cells(table, row, issues)
        agent_id = cells.value("id", str, "an agent id")
        if agent_id is not None and agent_id in id_lines:
            cells.error(
                "id", agent_id, f"repeats the agent id on line {id_lines[agent_id]}", "unique ids"
            )
            agent_id = None
        elif agent_id is not None:
            id_lines[agent_id] = row.line
        site_id = cells.value("site", _site_check(declared), "a site id from scenario.toml")
        languages = cells.value("languages", _languages, "language codes separated by ;")
        hours = cells.value("hours_per_week", _hours_check(table.decimal_comma), HOURS_EXPECTED)
        shift_ids = _shift_ids(cells, site_id, declared)
        name = cells.value("name", str, "the agent's name", required=False)
        email = cells.value("email", str, "an e-mail address", required=False)
        number = cells.value("employee_number", str, "payroll's number", required=False)
        if None in (agent_id, site_id, languages, hours, shift_ids):
            continue
        agents.append(
            Agent(
                id=agent_id,
                name=name or agent_id,
                site_id=site_id,
                languages=languages,
                hours_per_week=hours,
                shift_ids=shift_ids,
                email=email or "",
                employee_number=number or "",
            )
        )
    return agents, id_lines


def _site_check(declared: SiteDeclarations | None) -> Callable[[str], str]:
    def check(text: str) -> str:
        if declared is not None and text not in declared.shift_ids:
            known = ", ".join(declared.site_ids()) or "no valid site"
            raise BadValue("is not a site in scenario.toml", f"one of: {known}")
        return text

    return check


def _languages(text: str) -> tuple[str, ...]:
    codes: list[str] = []
    for item in text_list(text):
        try:
            code = language_code(item)
        except BadValue as bad:
            raise BadValue(f"has {item!r}, which {bad.problem}", bad.expected) from None
        if code not in codes:
            codes.append(code)
    if not codes:
        raise BadValue("has no language", "language codes separated by ;")
    return tuple(codes)


def _hours_check(decimal_comma: bool) -> Callable[[str], float]:
    def check(text: str) -> float:
        hours = text_number(text, decimal_comma)
        if hours <= 0:
            raise BadValue("is not positive", HOURS_EXPECTED)
        if hours > HOURS_IN_A_WEEK:
            raise BadValue(f"is more than the {HOURS_IN_A_WEEK} hours of a week", HOURS_EXPECTED)
        return hours

    return check


def _shift_ids(
    cells: Cells, site_id: str | None, declared: SiteDeclarations | None
) -> tuple[str, ...] | None:
    """The agent's shifts in the site's order; an empty cell means every shift of the site."""
    written = cells.value("shifts", text_list, "shift ids separated by ;", required=False) or []
    if site_id is None or declared is None:
        return None
    site_shifts = declared.shift_ids[site_id]
    unknown = [shift_id for shift_id in written if shift_id not in site_shifts]
    for shift_id in unknown:
        known = ", ".join(site_shifts) or "none"
        cells.error(
            "shifts",
            shift_id,
            f"is not a shift of site '{site_id}' in scenario.toml",
            f"shift ids of {site_id}: {known}",
        )
    if unknown:
        return None
    chosen = [shift_id for shift_id in site_shifts if not written or shift_id in written]
    return tuple(chosen) or None
