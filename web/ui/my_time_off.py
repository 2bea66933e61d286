"""The agent's time-off page: ask for days off, see each request's state and the
planner's answer, withdraw a pending one.

As on every agent page, nothing takes an agent id from the URL or the form: the
services act for the signed-in user only."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length

from scheduler.services import Conflict, InvalidInput, NotFound
from scheduler.services import time_off_requests as service
from web import clock
from web.api.session import session_factory
from web.ui.agent_views import agent
from web.ui.forms import ActionForm
from web.ui.security import AGENT_ROLES, roles_required


class LeaveForm(FlaskForm):
    start_date = DateField("First day off", validators=[DataRequired()])
    end_date = DateField("Last day off", validators=[DataRequired()])
    reason = StringField("Reason", validators=[Length(max=service.MAX_REASON)])


@agent.get("/me/time-off", endpoint="my_time_off")
@roles_required(*AGENT_ROLES)
def my_time_off_page() -> str:
    return _page(LeaveForm())


def _page(form: LeaveForm, status: int = 200) -> tuple[str, int] | str:
    requests = service.my_requests(session_factory(), current_user.id)
    page = render_template(
        "my_time_off.html",
        form=form,
        requests=requests,
        action_form=ActionForm(),
        max_days=service.MAX_DAYS,
        today=clock.today(),
    )
    return (page, status) if status != 200 else page


@agent.post("/me/time-off")
@roles_required(*AGENT_ROLES)
def ask_time_off() -> Response | tuple[str, int] | str:
    form = LeaveForm()
    if not form.validate_on_submit():
        for field, problems in form.errors.items():
            label = getattr(form, field).label.text if hasattr(form, field) else field
            flash(f"{label}: {'; '.join(problems)}", "error")
        return _page(form, 400)
    try:
        made = service.request_time_off(
            session_factory(),
            current_user.id,
            form.start_date.data,
            form.end_date.data,
            form.reason.data or "",
            clock.today(),
        )
    except (InvalidInput, Conflict) as refused:
        for item in getattr(refused, "errors", None) or [{"message": str(refused)}]:
            flash(f"Not sent: {item['message']}", "error")
        return _page(form, 422 if isinstance(refused, InvalidInput) else 409)
    flash(
        f"Request sent: {made['start_date']} to {made['end_date']} ({made['days']} day(s)). "
        "Your planner decides; the answer shows here.",
        "success",
    )
    return redirect(url_for("agent.my_time_off"))


@agent.post("/me/time-off/<int:request_id>/withdraw")
@roles_required(*AGENT_ROLES)
def withdraw_time_off(request_id: int) -> Response:
    if ActionForm().validate_on_submit():
        try:
            service.withdraw(session_factory(), current_user.id, request_id)
            flash("Request withdrawn.", "success")
        except (Conflict, NotFound) as refused:
            flash(f"Not withdrawn: {refused}", "error")
    return redirect(url_for("agent.my_time_off"))
