"""The fairness report for planners and HR (``scheduler.fairness``): who works the
nights, weekends and public holidays, per agent in his local time, by site and by
language across sites, with each group's spread; and its downloads.

Same access as the hours exports (``hr`` blueprint): HR reads published and
formerly published rosters, planners drafts too; agents get 403.
"""

from __future__ import annotations

from flask import Response, render_template, request

from scheduler.exports.fairness_files import (
    fairness_agents_csv,
    fairness_groups_csv,
    fairness_xlsx,
)
from scheduler.fairness import MEASURE_TITLES, MEASURES, FairnessReport, fairness_report
from web.api.queries import period_of
from web.api.session import request_session
from web.downloads import CSV_TYPE, EXCEL_BOM, XLSX_TYPE, download
from web.ui.hr_views import _exportable, _file_stem, _scenario_and_roster, hr
from web.ui.security import EXPORT_ROLES, roles_required

AGENT_ROWS = 200
"""Agents listed on the page; the downloads hold every agent."""
MORE_THAN_ITS_SHARE = 0.25
"""A site whose share of a language's hours is this far above its share of the
language's speakers is flagged ("carries more than its share")."""


def _report(version_id: int) -> FairnessReport:
    scenario, roster = _scenario_and_roster(version_id)
    return fairness_report(scenario, roster)


@hr.get("/exports/<int:version_id>/fairness")
@roles_required(*EXPORT_ROLES)
def fairness(version_id: int) -> str:
    version = _exportable(version_id)
    report = _report(version_id)
    site_id = request.args.get("site", "")
    language = request.args.get("language", "")
    shown = [
        agent
        for agent in report.agents
        if (not site_id or agent.site_id == site_id)
        and (not language or language in agent.languages)
    ]
    return render_template(
        "fairness.html",
        version=version,
        period=period_of(request_session(), version),
        report=report,
        measures=MEASURES,
        titles=MEASURE_TITLES,
        flag=MORE_THAN_ITS_SHARE,
        sites=report.by_site,
        languages=[group.key for group in report.by_language],
        site_id=site_id,
        language=language,
        agents=shown[:AGENT_ROWS],
        agent_count=len(shown),
    )


@hr.get("/exports/<int:version_id>/fairness.csv")
@roles_required(*EXPORT_ROLES)
def download_fairness_csv(version_id: int) -> Response:
    text = fairness_agents_csv(_report(version_id))
    return download(EXCEL_BOM + text, CSV_TYPE, f"{_file_stem(version_id, 'fairness')}.csv")


@hr.get("/exports/<int:version_id>/fairness-groups.csv")
@roles_required(*EXPORT_ROLES)
def download_fairness_groups_csv(version_id: int) -> Response:
    text = fairness_groups_csv(_report(version_id))
    name = _file_stem(version_id, "fairness-groups")
    return download(EXCEL_BOM + text, CSV_TYPE, f"{name}.csv")


@hr.get("/exports/<int:version_id>/fairness.xlsx")
@roles_required(*EXPORT_ROLES)
def download_fairness_xlsx(version_id: int) -> Response:
    body = fairness_xlsx(_report(version_id))
    return download(body, XLSX_TYPE, f"{_file_stem(version_id, 'fairness')}.xlsx")
