"""Agent pages: my upcoming shifts, days off and holidays, and my calendar subscription.

Nothing here takes an agent id from the URL: every query uses the signed-in
user's own agent code, so changing a URL can never show someone else's shifts.
"""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask import session as session_cookie
from flask_login import current_user

from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.repository import issue_ical_token, record_audit
from web import clock
from web.agent_cache import agent_scenario, cached_feed, feed_key
from web.api.queries import my_shifts, users_agent
from web.api.session import request_session, session_factory
from web.calendar_feed import published_periods
from web.downloads import ICS_TYPE, download
from web.ui.forms import ActionForm
from web.ui.my_days import my_days, week_of
from web.ui.security import AGENT_ROLES, roles_required

agent = Blueprint("agent", __name__)

NEW_LINK_KEY = "new_calendar_url"
"""Where the just-made link waits in the session for the one page that shows it."""


@agent.get("/me", endpoint="my_shifts")
@roles_required(*AGENT_ROLES)
def my_shifts_page() -> str:
    return _page(session_cookie.pop(NEW_LINK_KEY, None))


def _page(calendar_url: str | None = None) -> str:
    session = request_session()
    code = current_user.agent_code or ""
    today = clock.today()
    user = session.get(m.User, current_user.id)
    periods = published_periods(session, user, today)
    scenarios = [agent_scenario(session, period_id) for period_id, _ in periods]
    days = my_days(scenarios, code, my_shifts(session, user, today, None), today)
    agent_row = users_agent(session, user)
    return render_template(
        "me.html",
        weeks=[(monday, list(items)) for monday, items in groupby(days, lambda d: week_of(d.day))],
        shift_count=sum(len(day.shifts) for day in days),
        agent_name=agent_row.name if agent_row else current_user.name,
        site=agent_row.site if agent_row else None,
        has_calendar=user.ical_token_hash is not None,
        calendar_url=calendar_url,
        action_form=ActionForm(),
    )


@agent.post("/me/calendar")
@roles_required(*AGENT_ROLES)
def issue_calendar() -> Response:
    """Make a new subscription link, then show it once on /me (post, redirect, get: a
    reload never silently replaces the link the agent just copied)."""
    if ActionForm().validate_on_submit():
        with unit_of_work(session_factory()) as session:
            user = session.get(m.User, current_user.id)
            token = issue_ical_token(user)
            record_audit(session, user, "calendar_token.issue", "user", user.id)
        session_cookie[NEW_LINK_KEY] = url_for("exports.calendar_feed", token=token, _external=True)
        flash("New subscription link made: any older link stopped working.", "success")
    return redirect(url_for("agent.my_shifts"))


@agent.post("/me/calendar/revoke")
@roles_required(*AGENT_ROLES)
def revoke_calendar() -> Response:
    if ActionForm().validate_on_submit():
        with unit_of_work(session_factory()) as session:
            user = session.get(m.User, current_user.id)
            user.ical_token_hash = None
            record_audit(session, user, "calendar_token.revoke", "user", user.id)
        flash("Subscription link revoked: calendars using it stop updating.", "success")
    return redirect(url_for("agent.my_shifts"))


@agent.get("/me/shifts.ics")
@roles_required(*AGENT_ROLES)
def download_calendar() -> Response:
    session = request_session()
    code = current_user.agent_code or ""
    user = session.get(m.User, current_user.id)
    today = clock.today()
    feed = cached_feed(session, user, today, feed_key(session, user, today))
    return download(feed, ICS_TYPE, f"shifts-{code}.ics")
