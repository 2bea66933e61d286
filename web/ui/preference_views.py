"""Preferences: an agent states his for each open period and sees how many his roster
grants; a planner sets the limits per period and sees every agent's wishes.

An agent's page takes no agent id from the URL: the service finds the signed-in
user's own agent row, so a changed URL can never touch someone else's wishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user

from scheduler import services
from scheduler.domain import Assignment
from scheduler.preferences import Granted, granted_preferences
from scheduler.services import preferences as wishes
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.models_preferences import AgentPreference
from scheduler.storage.repository import published_version
from scheduler.storage.scenario_store import load_period_scenario, load_roster
from web import clock
from web.api.queries import get_or_404
from web.api.session import request_session, session_factory
from web.ui.forms import ActionForm, PreferenceForm, PreferenceLimitsForm
from web.ui.security import AGENT_ROLES, PLANNER_ROLES, roles_required

preferences = Blueprint("preferences", __name__)

KIND_LABELS = {
    "shift": "Preferred shift",
    "day_off": "Weekday off",
    "avoid_date": "Date I would rather not work",
}
WEEKDAY_LABELS = dict(
    zip(
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)


@dataclass
class MyPeriod:
    """One open period of the signed-in agent, as his preferences page shows it."""

    period: m.PlanningPeriod
    agent: m.Agent
    wishes: list[AgentPreference]
    limits: wishes.PreferenceLimits
    first: date
    last: date
    granted: Granted | None


@preferences.get("/me/preferences")
@roles_required(*AGENT_ROLES)
def my_preferences() -> str:
    session = request_session()
    user = session.get(m.User, current_user.id)
    periods = []
    for agent, rows in wishes.open_periods(session, user, clock.today()):
        period = agent.period
        last = period.horizon_start + timedelta(days=period.horizon_days - 1)
        granted = _granted(session, period.id, agent.code) if rows else None
        limits = wishes.limits_of(period)
        periods.append(MyPeriod(period, agent, rows, limits, period.horizon_start, last, granted))
    return render_template(
        "my_preferences.html",
        periods=periods,
        kinds=KIND_LABELS,
        weekdays=WEEKDAY_LABELS,
        form=PreferenceForm(),
        action_form=ActionForm(),
        describe=describe,
    )


@preferences.post("/me/preferences/<int:period_id>")
@roles_required(*AGENT_ROLES)
def state(period_id: int) -> Response:
    form = PreferenceForm()
    if not form.validate_on_submit():
        flash("The preference was not saved: " + _form_errors(form), "error")
        return redirect(url_for("preferences.my_preferences"))
    try:
        with unit_of_work(session_factory()) as session:
            user = session.get(m.User, current_user.id)
            wishes.state_preference(session, user, period_id, form.kind.data, form.value.data)
        flash("Preference saved: the next solve of this period honours it where it can.", "success")
    except services.InvalidInput as refused:
        flash("Not saved: " + "; ".join(e["message"] for e in refused.errors), "error")
    except services.Conflict as conflict:
        flash(f"Not saved: {conflict}.", "error")
    except services.NotFound as missing:
        flash(f"Not saved: {missing}.", "error")
    return redirect(url_for("preferences.my_preferences"))


@preferences.post("/me/preferences/withdraw/<int:preference_id>")
@roles_required(*AGENT_ROLES)
def withdraw(preference_id: int) -> Response:
    if ActionForm().validate_on_submit():
        try:
            with unit_of_work(session_factory()) as session:
                user = session.get(m.User, current_user.id)
                wishes.withdraw_preference(session, user, preference_id)
            flash("Preference withdrawn.", "success")
        except services.NotFound as missing:
            flash(f"Nothing withdrawn: {missing}.", "error")
    return redirect(url_for("preferences.my_preferences"))


@preferences.get("/periods/<int:period_id>/preferences")
@roles_required(*PLANNER_ROLES)
def period_preferences(period_id: int) -> str:
    session = request_session()
    period = get_or_404(session, m.PlanningPeriod, period_id, "planning period")
    limits = wishes.limits_of(period)
    form = PreferenceLimitsForm(
        shift=limits.shift, day_off=limits.day_off, avoid_date=limits.avoid_date
    )
    return _period_page(session, period, form)


@preferences.post("/periods/<int:period_id>/preferences/limits")
@roles_required(*PLANNER_ROLES)
def set_limits(period_id: int) -> Response | tuple[str, int]:
    form = PreferenceLimitsForm()
    if not form.validate_on_submit():
        session = request_session()
        period = get_or_404(session, m.PlanningPeriod, period_id, "planning period")
        return _period_page(session, period, form), 422
    try:
        with unit_of_work(session_factory()) as session:
            user = session.get(m.User, current_user.id)
            limits = {"shift": form.shift.data, "day_off": form.day_off.data}
            limits["avoid_date"] = form.avoid_date.data
            wishes.set_limits(session, user, period_id, limits)
        flash("Limits saved; wishes already stated stay.", "success")
    except services.InvalidInput as refused:
        flash("Not saved: " + "; ".join(e["message"] for e in refused.errors), "error")
    return redirect(url_for("preferences.period_preferences", period_id=period_id))


def _period_page(session, period: m.PlanningPeriod, form: PreferenceLimitsForm) -> str:
    rows = wishes.period_wishes(session, period.id)
    by_agent: dict[str, dict[str, Any]] = {}
    for code, name, row in rows:
        entry = by_agent.setdefault(code, {"code": code, "name": name, "wishes": []})
        entry["wishes"].append(row)
    published = published_version(session, period.id)
    granted: dict[str, Granted] = {}
    if published is not None and by_agent:
        scenario = load_period_scenario(session, period.id, demand=False)
        roster = load_roster(session, published.id, coverage=False)
        granted = {g.agent_id: g for g in granted_preferences(scenario, roster.assignments)}
    return render_template(
        "period_preferences.html",
        period=period,
        form=form,
        agents=list(by_agent.values()),
        granted=granted,
        published=published,
        describe=describe,
    )


def describe(row: AgentPreference) -> str:
    """A wish in words: "Preferred shift: early", "Weekday off: Sunday"."""
    value = WEEKDAY_LABELS.get(row.value, row.value) if row.kind == "day_off" else row.value
    return f"{KIND_LABELS[row.kind]}: {value}"


def _granted(session, period_id: int, agent_code: str) -> Granted | None:
    """How many of his wishes the period's published roster grants (None: unpublished)."""
    published = published_version(session, period_id)
    if published is None:
        return None
    scenario = load_period_scenario(session, period_id, demand=False)
    roster = load_roster(session, published.id, agent_code=agent_code, coverage=False)
    mine: list[Assignment] = [a for a in roster.assignments if a.agent_id == agent_code]
    found = [g for g in granted_preferences(scenario, mine) if g.agent_id == agent_code]
    return found[0] if found else None


def _form_errors(form) -> str:
    return "; ".join(f"{field}: {', '.join(errors)}" for field, errors in form.errors.items())
