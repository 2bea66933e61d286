"""Planner pages for editing a roster: the grid in each site's local time, one
agent's shifts, and the edits (add, lock, unlock, remove, record an absence)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from scheduler import services
from scheduler.storage import models as m
from scheduler.storage.scenario_store import load_period_scenario
from web.api.queries import (
    assignment_agent_code,
    get_or_404,
    period_detail,
    period_of,
    roster_assignments,
)
from web.api.session import request_session, session_factory
from web.ui.forms import AbsenceForm, ActionForm, AddShiftForm
from web.ui.planner.blueprint import flash_refusal, planner
from web.ui.roster_grid import grid_rows, local_shift, matching_agents
from web.ui.security import PLANNER_ROLES, roles_required

GRID_PAGE_SIZE = 40


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
        period=period_detail(session, period_of(session, version)),
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
    return render_template(
        "agent_edit.html",
        version=version,
        period=period_detail(session, period_of(session, version)),
        agent=agent,
        site=scenario.site_of(agent),
        shifts=[(row, local_shift(row)) for row in stored],
        row=grid_rows(scenario, [agent], stored)[0],
        dates=scenario.horizon.dates,
        add_form=form,
        absence_form=AbsenceForm(),
        action_form=ActionForm(),
    )


def _agent_page(version_id: int, agent_code: str) -> Response:
    return redirect(url_for("planner.agent_shifts", version_id=version_id, agent_code=agent_code))


@planner.post("/rosters/<int:version_id>/agents/<agent_code>/shifts")
@roles_required(*PLANNER_ROLES)
def add_shift(version_id: int, agent_code: str) -> Response:
    form = AddShiftForm()
    form.shift.choices = [(request.form.get("shift", ""), "")]
    if not form.validate_on_submit():
        flash("Choose a date and a shift.", "error")
        return _agent_page(version_id, agent_code)
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
    form = AbsenceForm()
    if not form.validate_on_submit():
        flash("Give the first and last date of the absence and a reason.", "error")
        return _agent_page(version_id, agent_code)
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
        return _agent_page(version_id, agent_code)
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
    agent_code = assignment_agent_code(session, row)
    if not ActionForm().validate_on_submit():
        flash("The form expired: try again.", "error")
        return _agent_page(version_id, agent_code)
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


def _after_edit(
    call: Callable[[], services.Edit], version_id: int, agent_code: str, message: str
) -> Response:
    """Run an edit; say where it went (a published roster is copied to a new draft)."""
    try:
        edit = call()
    except (services.InvalidInput, services.Conflict) as problem:
        flash_refusal("Not changed", problem)
        return _agent_page(version_id, agent_code)
    if edit.copied_from_id is not None:
        message += (
            " The published roster stays as it is; the change went into a new draft"
            " (re-solve from that draft to keep it)."
        )
    flash(message, "success")
    return _agent_page(edit.version_id, agent_code)
