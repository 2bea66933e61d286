"""HR pages: the published rosters of every period with their payroll exports
(hours per agent and week as XLSX or CSV, the raw shift list as CSV) and a
preview of the hours by site.

HR sees published and formerly published (superseded) versions only; planners
may also export drafts they are reviewing. Agents get the 403 page.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from scheduler.exports import hours_csv, hours_xlsx, shifts_csv, worked_hours
from scheduler.storage import models as m
from scheduler.storage.scenario_store import load_period_scenario, load_roster
from web.api.queries import (
    exportable_versions,
    get_or_404,
    period_of,
    readable_by,
    roster_cover,
)
from web.api.session import request_session
from web.downloads import CSV_TYPE, EXCEL_BOM, XLSX_TYPE, download, file_stem
from web.ui.security import EXPORT_ROLES, roles_required

hr = Blueprint("hr", __name__)

PREVIEW_ROWS = 200


@hr.get("/exports")
@roles_required(*EXPORT_ROLES)
def exports() -> str:
    return render_template("exports.html", rows=exportable_versions(request_session()))


@hr.get("/exports/<int:version_id>")
@roles_required(*EXPORT_ROLES)
def hours_preview(version_id: int) -> str:
    version = _exportable(version_id)
    session = request_session()
    scenario = load_period_scenario(session, version.period_id)
    rows = worked_hours(scenario, load_roster(session, version_id))
    site_id = request.args.get("site", "")
    shown = [row for row in rows if not site_id or row.site_id == site_id]
    return render_template(
        "hours.html",
        version=version,
        period=period_of(session, version),
        sites=scenario.sites,
        site_id=site_id,
        totals=_site_totals(scenario, rows),
        rows=shown[:PREVIEW_ROWS],
        row_count=len(shown),
    )


@hr.get("/exports/<int:version_id>/hours.xlsx")
@roles_required(*EXPORT_ROLES)
def download_hours_xlsx(version_id: int) -> Response:
    scenario, roster = _scenario_and_roster(version_id)
    cover = roster_cover(request_session(), _exportable(version_id))
    name = _file_stem(version_id, "hours")
    return download(hours_xlsx(scenario, roster, cover), XLSX_TYPE, f"{name}.xlsx")


@hr.get("/exports/<int:version_id>/hours.csv")
@roles_required(*EXPORT_ROLES)
def download_hours_csv(version_id: int) -> Response:
    scenario, roster = _scenario_and_roster(version_id)
    text = hours_csv(worked_hours(scenario, roster))
    return download(EXCEL_BOM + text, CSV_TYPE, f"{_file_stem(version_id, 'hours')}.csv")


@hr.get("/exports/<int:version_id>/shifts.csv")
@roles_required(*EXPORT_ROLES)
def download_shifts_csv(version_id: int) -> Response:
    scenario, roster = _scenario_and_roster(version_id)
    name = _file_stem(version_id, "shifts")
    return download(EXCEL_BOM + shifts_csv(scenario, roster), CSV_TYPE, f"{name}.csv")


def _exportable(version_id: int) -> m.RosterVersion:
    version = get_or_404(request_session(), m.RosterVersion, version_id, "roster version")
    if not readable_by(current_user.role, version):
        abort(403)
    return version


def _scenario_and_roster(version_id: int) -> tuple[Any, Any]:
    version = _exportable(version_id)
    session = request_session()
    return load_period_scenario(session, version.period_id), load_roster(session, version_id)


def _file_stem(version_id: int, what: str) -> str:
    session = request_session()
    version = session.get(m.RosterVersion, version_id)
    return file_stem(period_of(session, version).name, version.number, what)


def _site_totals(scenario: Any, rows: list[Any]) -> list[dict[str, Any]]:
    """Per site: agents and the sums of each kind of hours."""
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    agents: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        entry = sums[row.site_id]
        agents[row.site_id].add(row.agent_id)
        for key in ("worked_hours", "night_hours", "weekend_hours", "holiday_hours"):
            entry[key] += getattr(row, key)
        entry["shifts"] += row.shifts
    return [
        {"site": site, "agents": len(agents[site.id]), **sums[site.id]}
        for site in scenario.sites
        if site.id in sums
    ]
