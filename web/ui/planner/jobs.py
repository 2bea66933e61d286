"""Planner pages for a solve job: its page, the progress it polls, and cancelling it."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from scheduler import services
from scheduler.storage import models as m
from web.api.queries import current_job, job_dict, period_detail, period_requirements
from web.api.session import request_session, session_factory
from web.ui.forms import ActionForm
from web.ui.planner.blueprint import planner
from web.ui.security import PLANNER_ROLES, roles_required

FINISHED_STATES = ("succeeded", "failed", "cancelled")


@planner.get("/jobs/<int:job_id>")
@roles_required(*PLANNER_ROLES)
def job(job_id: int) -> str:
    session = request_session()
    row = current_job(session, job_id)
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
    return jsonify(_progress(current_job(request_session(), job_id)))


def _progress(row: m.SolveJob) -> dict[str, Any]:
    found = job_dict(row)
    required = period_requirements(request_session(), row.period_id).total()
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
