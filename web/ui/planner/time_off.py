"""A period's time-off requests: the queue with each pending request's staffing
impact on the published roster, approving and declining (with a reason)."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import Length

from calendars.zones import to_local
from scheduler.services import Conflict, InvalidInput, NotFound
from scheduler.services import time_off_requests as service
from scheduler.storage import models as m
from web.api.queries import agent_zones, get_or_404
from web.api.session import request_session, session_factory
from web.ui.planner.blueprint import planner
from web.ui.security import PLANNER_ROLES, roles_required

INTERVALS_SHOWN = 200
"""Rows of one request's interval table at most (the totals count them all)."""


class DecisionForm(FlaskForm):
    reason = StringField("Reason", validators=[Length(max=service.MAX_REASON)])


@planner.get("/periods/<int:period_id>/time-off-requests")
@roles_required(*PLANNER_ROLES)
def time_off_requests(period_id: int) -> str:
    session = request_session()
    period = get_or_404(session, m.PlanningPeriod, period_id, "planning period")
    queue = service.period_requests(session_factory(), period_id)
    zones = agent_zones(session, period_id)
    for item in queue["requests"]:
        zone = zones.get(item["agent_id"], "UTC")
        item["zone"] = zone
        for row in (item.get("impact") or {}).get("intervals", []):
            instant = datetime.fromisoformat(row["start_utc"].replace("Z", "+00:00"))
            row["local"] = _local_text(to_local(instant, zone))
    pending = [r for r in queue["requests"] if r["state"] == "pending"]
    decided = [r for r in queue["requests"] if r["state"] != "pending"]
    return render_template(
        "period_time_off.html",
        period=period,
        queue=queue,
        pending=pending,
        decided=decided,
        form=DecisionForm(),
        intervals_shown=INTERVALS_SHOWN,
    )


def _local_text(local: datetime) -> str:
    """``Tue 08 Jun 08:00 +02:00``: local time with its UTC offset."""
    offset = local.strftime("%z")
    return f"{local:%a %d %b %H:%M} {offset[:3]}:{offset[3:]}"


@planner.post("/time-off-requests/<int:request_id>/decision")
@roles_required(*PLANNER_ROLES)
def decide_time_off(request_id: int) -> Response:
    form = DecisionForm()
    period_id = request.form.get("period_id", type=int)
    decision = request.form.get("decision", "")
    back = (
        url_for("planner.time_off_requests", period_id=period_id)
        if period_id
        else url_for("planner.periods")
    )
    if not form.validate_on_submit():
        flash("The form expired or the reason is too long: reload the page and try again.", "error")
        return redirect(back)
    try:
        decided = service.decide(
            session_factory(), request_id, current_user.id, decision, form.reason.data or ""
        )
    except (InvalidInput, Conflict, NotFound) as refused:
        flash(f"Not decided: {refused}", "error")
        return redirect(back)
    words = f"{decided['agent_id']} {decided['start_date']} to {decided['end_date']}"
    if decided["state"] == "approved":
        drafts = decided["outcome"].get("drafts", [])
        flash(f"Approved: {words}. The time off is recorded.", "success")
        for draft in drafts:
            flash(
                f"Draft #{draft['version_id']} is the published roster without his "
                f"{draft['removed_shifts']} shift(s) there (shortfall {draft['shortfall_before']} "
                f"→ {draft['shortfall_after']}): re-solve or edit it, then publish.",
                "info",
            )
        missing = decided["outcome"].get("days_in_no_period", [])
        if missing:
            flash(
                f"No planning period holds {decided['agent_id']} on {', '.join(missing)} yet: "
                "record those days as time off once that period is imported.",
                "error",
            )
        if drafts and drafts[0]["period_id"] == period_id:
            return redirect(url_for("planner.roster", version_id=drafts[0]["version_id"]))
    else:
        flash(f"Declined: {words}. The agent sees your reason.", "success")
    return redirect(back)


@planner.post("/time-off-requests/<int:request_id>/resolve")
@roles_required(*PLANNER_ROLES)
def resolve_time_off(request_id: int) -> Response:
    """A quick re-solve as if the request were approved: to the job's live progress;
    the requests page shows what its draft leaves once it is done."""
    form = DecisionForm()
    period_id = request.form.get("period_id", type=int) or 0
    back = url_for("planner.time_off_requests", period_id=period_id)
    if not form.validate_on_submit():
        flash("The form expired: reload the page and try again.", "error")
        return redirect(back)
    try:
        job_id = service.resolve_impact(session_factory(), request_id, period_id, current_user.id)
    except (InvalidInput, Conflict, NotFound) as refused:
        flash(f"Not re-solved: {refused}", "error")
        return redirect(back)
    flash(
        "Re-solving around the request as if approved (locked shifts kept); its impact "
        "shows on the time-off requests page when the job is done.",
        "info",
    )
    return redirect(url_for("planner.job", job_id=job_id))
