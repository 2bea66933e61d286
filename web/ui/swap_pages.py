"""Swap pages: an agent's swaps (offer one of his shifts, answer offers made to him,
withdraw his own) and a period's swaps for its planners (the queue, decisions, the
auto-approval setting).

As on every agent page, nothing takes an agent id from the URL: the services act for
the signed-in user, and another agent's swap is not found. Refusals are flashed with
the rule named, as the planner pages do.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from scheduler import services
from scheduler.services import swaps as swap_service
from scheduler.services.swap_views import my_swaps, period_swaps, shift_of
from scheduler.storage import models as m
from scheduler.storage.models_swaps import OPEN_SWAP_STATES
from web import clock
from web.api.queries import (
    get_or_404,
    site_colleagues,
    upcoming_assignments,
    users_active_agent,
)
from web.api.session import request_session, session_factory
from web.calendar_feed import published_periods
from web.ui.forms import ActionForm
from web.ui.planner.blueprint import flash_refusal
from web.ui.security import AGENT_ROLES, PLANNER_ROLES, roles_required

swap_pages = Blueprint("swaps_ui", __name__)

MAX_NOTE = swap_service.MAX_NOTE_CHARS
SWAP_ERRORS = (services.InvalidInput, services.Conflict, services.NotFound, services.Forbidden)


class OfferForm(FlaskForm):
    shift = SelectField("Your shift", validators=[DataRequired()], choices=[])
    colleague = SelectField("Colleague", validators=[DataRequired()], choices=[])
    colleague_date = DateField(
        "Colleague's shift on (leave empty to give yours away)", validators=[Optional()]
    )
    note = StringField(
        "Note for your colleague (optional)", validators=[Optional(), Length(max=MAX_NOTE)]
    )


class ReasonForm(FlaskForm):
    reason = StringField("Reason", validators=[Optional(), Length(max=MAX_NOTE)])


class SettingForm(FlaskForm):
    auto_approve = BooleanField(
        "Approve swaps that break no rule and lose no coverage by themselves"
    )


# --- agents --------------------------------------------------------------------------------


@swap_pages.get("/me/swaps")
@roles_required(*AGENT_ROLES)
def mine() -> str:
    session = request_session()
    user = session.get(m.User, current_user.id)
    form = OfferForm()
    form.shift.choices, form.colleague.choices = _offer_choices(session, user)
    swaps = my_swaps(session, user)
    code = user.agent_code or ""
    return render_template(
        "my_swaps.html",
        form=form,
        offered_to_me=[s for s in swaps if s["colleague"]["agent_id"] == code],
        mine=[s for s in swaps if s["offerer"]["agent_id"] == code],
        action_form=ActionForm(),
        reason_form=ReasonForm(),
    )


def _offer_choices(session, user: m.User) -> tuple[list, list]:
    """His upcoming published shifts ("period:date" -> the shift in local time) and the
    colleagues at his site in those periods (code -> name)."""
    shifts, colleagues = [], {}
    now = m.utc_now()
    for period_id, version_id in published_periods(session, user, clock.today()):
        agent = users_active_agent(session, user, period_id)
        if agent is None:
            continue
        for row in upcoming_assignments(session, version_id, agent.id, now):
            shown = shift_of(session, agent, row.local_date, row.shift_code)
            shifts.append((f"{period_id}:{row.local_date.isoformat()}", shown["text"]))
        for other in site_colleagues(session, agent):
            colleagues[other.code] = f"{other.name} ({other.code})"
    return shifts, sorted(colleagues.items())


@swap_pages.post("/me/swaps")
@roles_required(*AGENT_ROLES)
def offer() -> Response:
    form = OfferForm()
    session = request_session()
    user = session.get(m.User, current_user.id)
    form.shift.choices, form.colleague.choices = _offer_choices(session, user)
    if not form.validate_on_submit():
        for field, problems in form.errors.items():
            label = getattr(form, field).label.text if hasattr(form, field) else field
            flash(f"Not offered: {label}: {'; '.join(problems)}", "error")
        return redirect(url_for("swaps_ui.mine"))
    period_id, day = form.shift.data.split(":", 1)
    try:
        made = swap_service.offer_swap(
            session_factory(),
            user.id,
            int(period_id),
            date.fromisoformat(day),
            form.colleague.data,
            wanted_date=form.colleague_date.data,
            note=form.note.data or "",
        )
    except SWAP_ERRORS as refused:
        flash_refusal("Not offered", refused)
        return redirect(url_for("swaps_ui.mine"))
    flash(
        f"Swap #{made['id']} offered to {made['colleague']['name']}: it waits for her answer.",
        "success",
    )
    return redirect(url_for("swaps_ui.mine"))


@swap_pages.post("/me/swaps/<int:swap_id>/<any(accept, decline, withdraw):action>")
@roles_required(*AGENT_ROLES)
def act(swap_id: int, action: str) -> Response:
    form = ReasonForm()
    if not form.validate_on_submit():
        flash("The form expired or the reason is too long; nothing was changed.", "error")
        return redirect(url_for("swaps_ui.mine"))
    try:
        if action == "withdraw":
            done = swap_service.withdraw_swap(session_factory(), current_user.id, swap_id)
        else:
            done = swap_service.answer_swap(
                session_factory(), current_user.id, swap_id, action == "accept", form.reason.data
            )
    except SWAP_ERRORS as refused:
        flash_refusal(f"Swap #{swap_id} not changed", refused)
        return redirect(url_for("swaps_ui.mine"))
    _flash_outcome(done)
    return redirect(url_for("swaps_ui.mine") + f"#swap-{swap_id}")


def _flash_outcome(swap: dict) -> None:
    state = swap["state"]
    words = {
        "approved": "approved and published: the roster shows it now",
        "awaiting_planner": f"accepted; it awaits a planner: {swap['reason']}",
        "refused": swap["reason"],
        "declined": "declined",
        "withdrawn": "withdrawn",
    }
    category = "error" if state == "refused" else "success"
    flash(f"Swap #{swap['id']} {words.get(state, state)}", category)


# --- planners ------------------------------------------------------------------------------


@swap_pages.get("/periods/<int:period_id>/swaps")
@roles_required(*PLANNER_ROLES)
def of_period(period_id: int) -> str:
    session = request_session()
    period = get_or_404(session, m.PlanningPeriod, period_id, "planning period")
    swaps = period_swaps(session, period_id)
    setting = SettingForm(auto_approve=swap_service.auto_approve(session, period_id))
    return render_template(
        "period_swaps.html",
        period=period,
        waiting=[s for s in swaps if s["state"] == "awaiting_planner"],
        others=[s for s in swaps if s["state"] != "awaiting_planner"],
        open_states=OPEN_SWAP_STATES,
        setting_form=setting,
        reason_form=ReasonForm(),
        action_form=ActionForm(),
    )


@swap_pages.post("/periods/<int:period_id>/swaps/<int:swap_id>/<any(approve, decline):action>")
@roles_required(*PLANNER_ROLES)
def decide(period_id: int, swap_id: int, action: str) -> Response:
    form = ReasonForm()
    back = redirect(url_for("swaps_ui.of_period", period_id=period_id))
    if not form.validate_on_submit():
        flash("The form expired or the reason is too long; nothing was changed.", "error")
        return back
    try:
        done = swap_service.decide_swap(
            session_factory(), current_user.id, swap_id, action == "approve", form.reason.data
        )
    except SWAP_ERRORS as refused:
        flash_refusal(f"Swap #{swap_id} not decided", refused)
        return back
    _flash_outcome(done)
    return back


@swap_pages.post("/periods/<int:period_id>/swaps/settings")
@roles_required(*PLANNER_ROLES)
def change_setting(period_id: int) -> Response:
    form = SettingForm()
    if form.validate_on_submit():
        on = bool(form.auto_approve.data)
        swap_service.set_auto_approve(session_factory(), current_user.id, period_id, on)
        flash(
            "Clean swaps are approved by themselves."
            if on
            else "Every accepted swap now waits for a planner.",
            "success",
        )
    return redirect(url_for("swaps_ui.of_period", period_id=period_id, _anchor="settings"))
