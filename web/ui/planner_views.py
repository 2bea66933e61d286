"""Planner pages: periods and scenario upload, solving with live progress, the roster
(summary, heatmap, gaps, publish), the roster grid and edits to assignments.

Each view reads with ``request_session()`` and changes only through
``scheduler.services``; service errors become flashed messages on the page the
planner came from (a bad upload re-renders its form with every error listed).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from calendars.zones import to_local
from scheduler import services
from scheduler.requirements import RequirementTable, compute_requirements
from scheduler.storage import models as m
from scheduler.storage.repository import list_periods, published_version
from scheduler.storage.scenario_store import load_gaps, load_period_scenario, load_roster
from web.api.queries import get_or_404, job_dict, period_detail, period_jobs, roster_assignments
from web.api.session import request_session, session_factory
from web.summary import coverage_summaries, format_offset, language_summaries, site_summaries
from web.ui import heatmap
from web.ui.forms import (
    AbsenceForm,
    ActionForm,
    AddShiftForm,
    PublishForm,
    SolveForm,
    UploadForm,
)
from web.ui.roster_grid import grid_rows, local_shift, matching_agents
from web.ui.security import PLANNER_ROLES, roles_required

planner = Blueprint("planner", __name__)

RULE_NAMES = {
    "one_shift_per_date": "one shift a day",
    "min_rest": "rest between shifts",
    "max_consecutive_days": "days in a row",
    "days_off": "days off a week",
    "weekly_hours": "hours a week",
    "time_off": "time off",
    "public_holiday": "no work on public holidays",
    "unknown_shift": "shifts the agent may work",
    "wrong_site": "the agent's own site",
    "horizon": "the planning period's dates",
}
"""Checker rule codes as a planner reads them (the code stays in brackets for support)."""
GRID_PAGE_SIZE = 40
GAPS_SHOWN = 100
FINISHED_STATES = ("succeeded", "failed", "cancelled")


# --- periods -------------------------------------------------------------------------------


@planner.get("/periods")
@roles_required(*PLANNER_ROLES)
def periods() -> str:
    return _periods_page(UploadForm())


def _periods_page(form: UploadForm, errors: list[dict[str, Any]] | None = None) -> str:
    session = request_session()
    rows = [period_detail(session, period) for period in list_periods(session)]
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
        imported_id = services.import_files(
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
    name = request_session().get(m.PlanningPeriod, imported_id).name
    verb = "Re-imported" if period_id else "Imported"
    flash(f"{verb} {len(files)} files into {name!r}. Next: solve it below.", "success")
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
    versions = session.scalars(
        select(m.RosterVersion).filter_by(period_id=period_id).order_by(m.RosterVersion.id.desc())
    ).all()
    return render_template(
        "period.html",
        period=period_detail(session, row),
        scenario=scenario,
        sites=site_summaries(scenario, datetime.now(UTC)),
        languages=language_summaries(scenario, _requirements(period_id)),
        versions=versions,
        jobs=[job_dict(job) for job in period_jobs(session, period_id)[:10]],
        solve_form=SolveForm(),
        action_form=ActionForm(),
        upload_form=upload_form,
        errors=errors or [],
        published=published_version(session, period_id),
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


# --- jobs ----------------------------------------------------------------------------------


@planner.get("/jobs/<int:job_id>")
@roles_required(*PLANNER_ROLES)
def job(job_id: int) -> str:
    session = request_session()
    row = get_or_404(session, m.SolveJob, job_id, "solve job")
    return render_template(
        "job.html",
        job=_progress(row),
        period=period_detail(session, session.get(m.PlanningPeriod, row.period_id)),
        action_form=ActionForm(),
    )


@planner.get("/jobs/<int:job_id>/progress")
@roles_required(*PLANNER_ROLES)
def job_progress(job_id: int) -> Response:
    """What the job page polls: the job's state and figures, as JSON."""
    return jsonify(_progress(get_or_404(request_session(), m.SolveJob, job_id, "solve job")))


def _progress(row: m.SolveJob) -> dict[str, Any]:
    found = job_dict(row)
    required = _required_total(row.period_id)
    shortfall = found["progress"]["shortfall"]
    found["required_total"] = required
    found["covered_share"] = (
        None if shortfall is None or not required else max(0.0, 1 - shortfall / required)
    )
    found["finished"] = row.state in FINISHED_STATES
    found["roster_url"] = (
        url_for("planner.roster", version_id=row.roster_version_id)
        if row.roster_version_id
        else None
    )
    for key in ("created_at", "started_at", "finished_at", "heartbeat_at"):
        found[key] = found[key].isoformat() if found[key] else None
    return found


_requirements_cache: dict[tuple[int, datetime], RequirementTable] = {}


def _requirements(period_id: int) -> RequirementTable:
    """Agents needed per interval and language (kept per import: it never changes)."""
    period_row = request_session().get(m.PlanningPeriod, period_id)
    key = (period_id, period_row.imported_at)
    if key not in _requirements_cache:
        scenario = load_period_scenario(request_session(), period_id)
        _requirements_cache[key] = compute_requirements(scenario)
    return _requirements_cache[key]


def _required_total(period_id: int) -> int:
    return _requirements(period_id).total()


@planner.post("/jobs/<int:job_id>/cancel")
@roles_required(*PLANNER_ROLES)
def cancel_job(job_id: int) -> Response:
    if ActionForm().validate_on_submit():
        try:
            services.cancel_job(session_factory(), job_id, current_user.id)
            flash("Cancel requested: the solver stops at its next check.", "info")
        except services.Conflict as problem:
            flash(str(problem), "error")
    return redirect(url_for("planner.job", job_id=job_id))


# --- roster versions -----------------------------------------------------------------------


@planner.get("/rosters/<int:version_id>")
@roles_required(*PLANNER_ROLES)
def roster(version_id: int) -> str:
    session = request_session()
    version = get_or_404(session, m.RosterVersion, version_id, "roster version")
    scenario = load_period_scenario(session, version.period_id)
    roster_ = load_roster(session, version_id)
    overview = heatmap.overview(scenario, roster_)
    language = request.args.get("language") or heatmap.worst_language(overview)
    if language not in overview.languages:
        language = heatmap.worst_language(overview)
    gaps = load_gaps(session, version_id)
    gap_language = request.args.get("gap_language", "")
    shown_gaps = [g for g in gaps if not gap_language or g.language == gap_language]
    shown_gaps.sort(key=lambda g: -g.missing_agent_intervals)
    published = published_version(session, version.period_id)
    return render_template(
        "roster.html",
        version=version,
        period=period_detail(session, _period_of(version)),
        summary=version.summary,
        shift_count=len(roster_.assignments),
        coverage=coverage_summaries(scenario, roster_),
        service_levels=heatmap.projected_service_levels(scenario, roster_),
        overview=overview,
        detail=heatmap.detail(scenario, roster_, language) if language else None,
        language=language,
        gaps=[_gap_view(g) for g in shown_gaps[:GAPS_SHOWN]],
        gap_count=len(shown_gaps),
        gap_language=gap_language,
        gap_languages=sorted({g.language for g in gaps}),
        grouped_markers=heatmap.grouped_markers,
        publish_form=PublishForm(expected_version=str(version.version_id)),
        solve_form=SolveForm(),
        published=published,
        parent=session.get(m.RosterVersion, version.parent_id) if version.parent_id else None,
        solved_by=session.scalar(select(m.SolveJob.id).filter_by(roster_version_id=version.id)),
        stale=_published_since(version, published),
    )


def _published_since(
    version: m.RosterVersion, published: m.RosterVersion | None
) -> m.RosterVersion | None:
    """The roster published after this draft was made (publishing the draft would
    replace it, undoing whatever it changed), if there is one."""
    if version.state != "draft" or published is None or published.published_at is None:
        return None
    return published if published.published_at > version.created_at else None


def _period_of(version: m.RosterVersion) -> m.PlanningPeriod:
    return request_session().get(m.PlanningPeriod, version.period_id)


def _gap_view(gap: Any) -> dict[str, Any]:
    start = to_local(gap.start_utc, gap.local_zone)
    end = to_local(gap.end_utc, gap.local_zone)
    return {
        "language": gap.language,
        "start_utc": gap.start_utc,
        "end_utc": gap.end_utc,
        "start_local": start,
        "end_local": end,
        "zone": gap.local_zone,
        "offset": f"UTC{format_offset(start.utcoffset())}",
        "end_offset": f"UTC{format_offset(end.utcoffset())}",
        "missing": gap.missing_agent_intervals,
        "max_missing": gap.max_missing,
        "unavoidable": gap.unavoidable_agent_intervals,
        "kind": gap.kind,
        "reason": gap.reason,
        "details": gap.details,
    }


@planner.post("/rosters/<int:version_id>/publish")
@roles_required(*PLANNER_ROLES)
def publish(version_id: int) -> Response:
    form = PublishForm()
    target = url_for("planner.roster", version_id=version_id)
    if not form.validate_on_submit() or not form.expected_version.data.isdigit():
        flash("The publish form was incomplete: reload the page and try again.", "error")
        return redirect(target)
    try:
        result = services.publish(
            session_factory(), version_id, current_user.id, int(form.expected_version.data)
        )
    except services.InvalidInput as problem:
        flash(f"Not published: {problem}", "error")
        for item in problem.errors[:10]:
            flash(rule_text(item), "error")
        return redirect(target)
    except services.Conflict as problem:
        flash(f"Not published: {problem}", "error")
        return redirect(target)
    superseded_id = result.get("superseded_id")
    superseded = request_session().get(m.RosterVersion, superseded_id) if superseded_id else None
    note = f" (roster #{superseded.number} is now superseded)" if superseded else ""
    flash(f"Published: agents see these shifts now{note}.", "success")
    return redirect(target)


# --- grid and edits ------------------------------------------------------------------------


@planner.get("/rosters/<int:version_id>/grid")
@roles_required(*PLANNER_ROLES)
def grid(version_id: int) -> str:
    session = request_session()
    version = get_or_404(session, m.RosterVersion, version_id, "roster version")
    scenario = load_period_scenario(session, version.period_id)
    site_id = request.args.get("site", "")
    language = request.args.get("language", "")
    text = request.args.get("q", "")
    agents = matching_agents(scenario, site_id, language, text)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    pages = max(1, -(-len(agents) // GRID_PAGE_SIZE))
    page = min(page, pages)
    shown = agents[(page - 1) * GRID_PAGE_SIZE : page * GRID_PAGE_SIZE]
    _, stored = roster_assignments(session, version_id, 1, None)
    return render_template(
        "grid.html",
        version=version,
        period=period_detail(session, _period_of(version)),
        scenario=scenario,
        rows=grid_rows(scenario, shown, stored),
        filters={"site": site_id, "language": language, "q": text},
        matching=len(agents),
        page=page,
        pages=pages,
    )


@planner.get("/rosters/<int:version_id>/agents/<agent_code>")
@roles_required(*PLANNER_ROLES)
def agent_shifts(version_id: int, agent_code: str) -> str:
    session = request_session()
    version = get_or_404(session, m.RosterVersion, version_id, "roster version")
    scenario = load_period_scenario(session, version.period_id)
    agent = next((a for a in scenario.agents if a.id == agent_code), None)
    if agent is None:
        raise services.NotFound(f"no agent {agent_code!r} in this period")
    _, stored = roster_assignments(session, version_id, 1, None, agent_code)
    form = AddShiftForm()
    form.shift.choices = [(code, code) for code in agent.shift_ids]
    site = scenario.site_of(agent)
    return render_template(
        "agent_edit.html",
        version=version,
        period=period_detail(session, _period_of(version)),
        agent=agent,
        site=site,
        shifts=[(row, local_shift(row)) for row in stored],
        row=grid_rows(scenario, [agent], stored)[0],
        dates=scenario.horizon.dates,
        add_form=form,
        absence_form=AbsenceForm(),
        action_form=ActionForm(),
    )


@planner.post("/rosters/<int:version_id>/agents/<agent_code>/shifts")
@roles_required(*PLANNER_ROLES)
def add_shift(version_id: int, agent_code: str) -> Response:
    form = AddShiftForm()
    form.shift.choices = [(request.form.get("shift", ""), "")]
    if not form.validate_on_submit():
        flash("Choose a date and a shift.", "error")
        return redirect(
            url_for("planner.agent_shifts", version_id=version_id, agent_code=agent_code)
        )
    return _after_edit(
        lambda: services.add_assignment(
            session_factory(),
            version_id,
            agent_code,
            form.date.data,
            form.shift.data,
            current_user.id,
        ),
        version_id,
        agent_code,
        "Shift added and locked.",
    )


@planner.post("/rosters/<int:version_id>/agents/<agent_code>/absences")
@roles_required(*PLANNER_ROLES)
def record_absence(version_id: int, agent_code: str) -> Response:
    """A sick call: stored on the period; a re-solve then repairs the published roster."""
    version = get_or_404(request_session(), m.RosterVersion, version_id, "roster version")
    back = url_for("planner.agent_shifts", version_id=version_id, agent_code=agent_code)
    form = AbsenceForm()
    if not form.validate_on_submit():
        flash("Give the first and last date of the absence and a reason.", "error")
        return redirect(back)
    try:
        services.record_time_off(
            session_factory(),
            version.period_id,
            agent_code,
            form.start_date.data,
            form.end_date.data,
            form.reason.data.strip(),
            current_user.id,
        )
    except services.InvalidInput as problem:
        flash(f"Not recorded: {problem}", "error")
        return redirect(back)
    flash(
        f"Absence recorded for {agent_code}, {form.start_date.data:%a %d %b} to "
        f"{form.end_date.data:%a %d %b}. Re-solve from the published roster to cover the "
        "shifts it leaves open, then publish (a replacement shift is added where it covers "
        "enough open hours to outweigh changing someone's published week).",
        "success",
    )
    return redirect(url_for("planner.period", period_id=version.period_id))


@planner.post("/assignments/<int:assignment_id>/lock")
@roles_required(*PLANNER_ROLES)
def lock(assignment_id: int) -> Response:
    return _assignment_action(assignment_id, "lock")


@planner.post("/assignments/<int:assignment_id>/unlock")
@roles_required(*PLANNER_ROLES)
def unlock(assignment_id: int) -> Response:
    return _assignment_action(assignment_id, "unlock")


@planner.post("/assignments/<int:assignment_id>/remove")
@roles_required(*PLANNER_ROLES)
def remove(assignment_id: int) -> Response:
    return _assignment_action(assignment_id, "remove")


def _assignment_action(assignment_id: int, action: str) -> Response:
    session = request_session()
    row = get_or_404(session, m.Assignment, assignment_id, "assignment")
    version_id = row.roster_version_id
    agent_code = session.get(m.Agent, row.agent_id).code
    if not ActionForm().validate_on_submit():
        flash("The form expired: try again.", "error")
        return redirect(
            url_for("planner.agent_shifts", version_id=version_id, agent_code=agent_code)
        )
    sessions = session_factory()
    edits = {
        "lock": (
            lambda: services.set_locked(sessions, assignment_id, True, current_user.id),
            "Shift locked: a re-solve from this roster keeps it.",
        ),
        "unlock": (
            lambda: services.set_locked(sessions, assignment_id, False, current_user.id),
            "Shift unlocked.",
        ),
        "remove": (
            lambda: services.remove_assignment(sessions, assignment_id, current_user.id),
            "Shift removed.",
        ),
    }
    call, message = edits[action]
    return _after_edit(call, version_id, agent_code, message)


def _after_edit(call: Any, version_id: int, agent_code: str, message: str) -> Response:
    """Run an edit; say where it went (a published roster is copied to a new draft)."""
    try:
        edit = call()
    except services.InvalidInput as problem:
        flash(f"Not changed: {problem}", "error")
        for item in problem.errors[:10]:
            flash(rule_text(item), "error")
        return redirect(
            url_for("planner.agent_shifts", version_id=version_id, agent_code=agent_code)
        )
    except services.Conflict as problem:
        flash(f"Not changed: {problem}", "error")
        return redirect(
            url_for("planner.agent_shifts", version_id=version_id, agent_code=agent_code)
        )
    if edit.copied_from_id is not None:
        message += (
            " The published roster stays as it is; the change went into a new draft"
            " (re-solve from that draft to keep it)."
        )
    flash(message, "success")
    return redirect(
        url_for("planner.agent_shifts", version_id=edit.version_id, agent_code=agent_code)
    )


def rule_text(item: dict[str, Any]) -> str:
    """A broken rule in words: "A0001 2027-03-22: rest between shifts: only 3 h between
    shifts (min_rest)"; other errors as the service wrote them."""
    rule, message = item.get("field") or "", str(item.get("message", item))
    if rule not in RULE_NAMES:
        return message
    detail = message.split(f"{rule}: ", 1)[-1]
    where = item.get("value")
    return f"{where + ': ' if where else ''}{RULE_NAMES[rule]}: {detail} ({rule})"
