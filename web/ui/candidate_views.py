"""The period's "What would help" page: ranked hires, new languages and holiday work,
each with what it is proved to be worth at most and what a confirming solve found."""

from __future__ import annotations

from flask import Blueprint, render_template

from scheduler import services
from scheduler.services.ranking import rank_period
from scheduler.storage import models as m
from web.api.queries import get_or_404
from web.api.session import request_session, session_factory
from web.ui.forms import RankForm
from web.ui.security import PLANNER_ROLES, roles_required

candidate_pages = Blueprint("candidate_pages", __name__)


@candidate_pages.get("/periods/<int:period_id>/what-would-help")
@roles_required(*PLANNER_ROLES)
def what_would_help(period_id: int) -> str:
    period = get_or_404(request_session(), m.PlanningPeriod, period_id, "planning period")
    return render_template("candidates.html", period=period, form=RankForm(), ranking=None)


@candidate_pages.post("/periods/<int:period_id>/what-would-help")
@roles_required(*PLANNER_ROLES)
def rank(period_id: int) -> str | tuple[str, int]:
    period = get_or_404(request_session(), m.PlanningPeriod, period_id, "planning period")
    form = RankForm()
    if not form.validate_on_submit():
        return render_template("candidates.html", period=period, form=form, ranking=None), 422
    try:
        ranking, version_id = rank_period(
            session_factory(), period_id, None, form.confirm_seconds.data, form.confirm.data
        )
    except (services.NotFound, services.TooManyRequests) as refused:
        status = 429 if isinstance(refused, services.TooManyRequests) else 404
        return (
            render_template(
                "candidates.html", period=period, form=form, ranking=None, refused=str(refused)
            ),
            status,
        )
    version = request_session().get(m.RosterVersion, version_id)
    return render_template(
        "candidates.html", period=period, form=form, ranking=ranking, version=version
    )
