"""Planner pages for periods: the list with the scenario upload, a period's page
(sites, languages, versions, jobs, re-import) and the solves started from it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from scheduler import services
from scheduler.services.audit import period_audit
from scheduler.storage import models as m
from scheduler.storage.repository import published_version, roster_versions
from scheduler.storage.scenario_store import load_period_scenario
from web.api.queries import (
    get_or_404,
    job_dict,
    period_detail,
    period_details,
    period_jobs,
    period_requirements,
)
from web.api.session import request_session, session_factory
from web.summary import language_summaries, site_summaries
from web.ui.forms import ActionForm, SolveForm, UploadForm
from web.ui.handoff_view import handoff_sections
from web.ui.markets_view import market_views
from web.ui.planner.blueprint import planner
from web.ui.security import PLANNER_ROLES, roles_required

LAST_IMPORT_SCAN = 200
"""Audit entries looked through for the newest import's report."""
JOBS_SHOWN = 10


@planner.get("/periods")
@roles_required(*PLANNER_ROLES)
def periods() -> str:
    return _periods_page(UploadForm())


def _periods_page(form: UploadForm, errors: list[dict[str, Any]] | None = None) -> str:
    rows = period_details(request_session())
    return render_template("periods.html", periods=rows, form=form, errors=errors or [])


@planner.post("/periods")
@roles_required(*PLANNER_ROLES)
def upload() -> Response | tuple[str, int]:
    return _import(None)


@planner.post("/periods/<int:period_id>/import")
@roles_required(*PLANNER_ROLES)
def reimport(period_id: int) -> Response | tuple[str, int]:
    """New files for an existing period (a revised forecast, new hires): agents and sites
    are matched by id, so saved rosters stay readable."""
    get_or_404(request_session(), m.PlanningPeriod, period_id, "planning period")
    return _import(period_id)


def _import(period_id: int | None) -> Response | tuple[str, int]:
    form = UploadForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            flash("The form expired: reload the page and try again.", "error")
        if "files" in form.errors:
            flash("Choose the scenario files to import (select them together).", "error")
        if "name" in form.errors:
            flash("The period name can be at most 200 characters.", "error")
        return _after_failed_import(form, period_id, [], 400)
    files: dict[str, bytes] = {}
    for storage in form.files.data:
        if storage and storage.filename:
            name = storage.filename.replace("\\", "/").rsplit("/", 1)[-1]
            files[name] = storage.read()
    try:
        report = services.import_files_report(
            session_factory(),
            files,
            current_user.id,
            period_name=form.name.data or None,
            period_id=period_id,
        )
    except services.InvalidInput as problem:
        flash(str(problem), "error")
        return _after_failed_import(form, period_id, problem.errors, 422)
    except services.Conflict as problem:
        flash(str(problem), "error")
        return _after_failed_import(form, period_id, [], 409)
    imported_id = report.period_id
    name = request_session().get(m.PlanningPeriod, imported_id).name
    verb = "Re-imported" if period_id else "Imported"
    flash(f"{verb} {len(files)} files into {name!r}. Next: solve it below.", "success")
    notes = [
        (len(report.warnings), "warning(s)"),
        (len(report.conflicts), "conflict(s) with what was recorded here"),
        (len(report.overlaps), "overlap(s) with another period's published roster"),
    ]
    said = ", ".join(f"{count} {what}" for count, what in notes if count)
    if said:
        flash(f"{said}: see the import report below.", "error")
    return redirect(url_for("planner.period", period_id=imported_id))


def _after_failed_import(
    form: UploadForm, period_id: int | None, errors: list[dict[str, Any]], status: int
) -> tuple[str, int]:
    if period_id is None:
        return _periods_page(form, errors), status
    return _period_page(period_id, form, errors), status


@planner.get("/periods/<int:period_id>")
@roles_required(*PLANNER_ROLES)
def period(period_id: int) -> str:
    return _period_page(period_id, UploadForm())


def _period_page(
    period_id: int, upload_form: UploadForm, errors: list[dict[str, Any]] | None = None
) -> str:
    session = request_session()
    row = get_or_404(session, m.PlanningPeriod, period_id, "planning period")
    scenario = load_period_scenario(session, period_id)
    return render_template(
        "period.html",
        period=period_detail(session, row),
        scenario=scenario,
        sites=site_summaries(scenario, datetime.now(UTC)),
        languages=language_summaries(scenario, period_requirements(session, period_id)),
        markets=market_views(scenario),
        versions=roster_versions(session, period_id),
        jobs=[job_dict(job) for job in period_jobs(session, period_id)[:JOBS_SHOWN]],
        solve_form=SolveForm(),
        action_form=ActionForm(),
        upload_form=upload_form,
        errors=errors or [],
        published=published_version(session, period_id),
        last_import=_last_import(session, period_id),
        handoffs=handoff_sections(scenario),
    )


def _last_import(session, period_id: int) -> dict[str, Any] | None:
    """The newest import's audit entry with its report (None before reports existed)."""
    for entry in period_audit(session, period_id, limit=LAST_IMPORT_SCAN):
        if entry["action"] in ("period.import", "period.reimport"):
            return entry if "report" in entry["details"] else None
    return None


@planner.get("/periods/<int:period_id>/audit")
@roles_required(*PLANNER_ROLES)
def audit(period_id: int) -> str:
    """Who imported, solved, edited, published and reverted, and when; by agent."""
    session = request_session()
    row = get_or_404(session, m.PlanningPeriod, period_id, "planning period")
    agent_id = (request.args.get("agent_id") or "").strip()[:64] or None
    return render_template(
        "audit.html",
        period=period_detail(session, row),
        entries=period_audit(session, period_id, agent_id),
        agent_id=agent_id or "",
    )


@planner.post("/periods/<int:period_id>/solve")
@roles_required(*PLANNER_ROLES)
def solve(period_id: int) -> Response:
    form = SolveForm()
    if not _valid_solve_form(form):
        return redirect(url_for("planner.period", period_id=period_id))
    job_id = services.start_solve(
        session_factory(),
        period_id,
        current_user.id,
        time_limit_seconds=form.time_limit_seconds.data,
        seed=form.seed.data,
    )
    return redirect(url_for("planner.job", job_id=job_id))


@planner.post("/periods/<int:period_id>/resolve")
@roles_required(*PLANNER_ROLES)
def resolve(period_id: int) -> Response:
    form = SolveForm()
    if not _valid_solve_form(form):
        return redirect(url_for("planner.period", period_id=period_id))
    try:
        job_id = services.resolve(
            session_factory(),
            period_id,
            current_user.id,
            time_limit_seconds=form.time_limit_seconds.data,
        )
    except services.Conflict as problem:
        flash(str(problem), "error")
        return redirect(url_for("planner.period", period_id=period_id))
    return redirect(url_for("planner.job", job_id=job_id))


@planner.post("/rosters/<int:version_id>/resolve")
@roles_required(*PLANNER_ROLES)
def resolve_version(version_id: int) -> Response:
    """Re-solve starting from this roster: its locked shifts stay, its others change as
    little as the rules and coverage allow (a draft with a planner's edits, say)."""
    version = get_or_404(request_session(), m.RosterVersion, version_id, "roster version")
    form = SolveForm()
    if not _valid_solve_form(form):
        return redirect(url_for("planner.roster", version_id=version_id))
    job_id = services.start_solve(
        session_factory(),
        version.period_id,
        current_user.id,
        time_limit_seconds=form.time_limit_seconds.data,
        seed=form.seed.data,
        base_version_id=version_id,
    )
    return redirect(url_for("planner.job", job_id=job_id))


def _valid_solve_form(form: SolveForm) -> bool:
    """True if the solve options are fine; else each problem is flashed by its label."""
    if form.validate_on_submit():
        return True
    for field, messages in form.errors.items():
        label = getattr(form, field).label.text if field != "csrf_token" else "The form"
        flash(f"{label}: {'; '.join(messages)}", "error")
    return False
