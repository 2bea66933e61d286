"""Planner pages for a roster version: summary, projected service levels, the
coverage heatmap, the gaps and why, and publishing it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from calendars.zones import iso_local, to_local
from scheduler import services
from scheduler.patterns import pattern_table
from scheduler.preferences import preference_summary
from scheduler.services.chaining import history_csv, roster_status
from scheduler.services.reverting import revert_preview
from scheduler.storage import models as m
from scheduler.storage.repository import published_version
from scheduler.storage.scenario_store import load_gaps, load_period_scenario, load_roster
from web.api.queries import get_or_404, period_detail, period_of, solved_by
from web.api.session import request_session, session_factory
from web.downloads import CSV_TYPE, download
from web.summary import coverage_summaries, format_offset
from web.ui import heatmap
from web.ui.forms import PublishForm, SolveForm
from web.ui.gap_list import GapQuery, gap_page
from web.ui.planner.blueprint import flash_refusal, planner
from web.ui.security import PLANNER_ROLES, roles_required

LEVELS_KEPT = 32
"""Roster versions whose projected service levels are kept between requests."""
_levels: OrderedDict[tuple, Any] = OrderedDict()
_levels_lock = threading.Lock()


def _service_levels(
    version: m.RosterVersion, period: m.PlanningPeriod, scenario: Any, roster_: Any
) -> Any:
    """Projected service levels, computed once per roster version as it stands (its
    optimistic counter moves on every edit; a re-import changes the forecast and
    ``imported_at``): the Erlang projection is most of the roster page's time."""
    key = (version.id, version.version_id, period.id, period.imported_at)
    with _levels_lock:
        if key in _levels:
            _levels.move_to_end(key)
            return _levels[key]
    levels = heatmap.projected_service_levels(scenario, roster_)
    with _levels_lock:
        _levels[key] = levels
        while len(_levels) > LEVELS_KEPT:
            _levels.popitem(last=False)
    return levels


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
    gaps = gap_page(load_gaps(session, version_id), GapQuery.from_args(request.args))
    published = published_version(session, version.period_id)
    status = roster_status(session, version)
    return render_template(
        "roster.html",
        status=status,
        version=version,
        period=period_detail(session, period_of(session, version)),
        summary=version.summary,
        shift_count=len(roster_.assignments),
        coverage=coverage_summaries(scenario, roster_),
        # a stale roster's figures stay those of the data it was solved with: service
        # levels from today's forecast would mix old staffing with new demand
        service_levels={}
        if status["stale"]
        else _service_levels(version, period_of(session, version), scenario, roster_),
        overview=overview,
        detail=heatmap.detail(scenario, roster_, language) if language else None,
        language=language,
        gaps=gaps,
        gap_rows=[_gap_view(g) for g in gaps.gaps],
        gap_url=_gap_url(version_id, request.args.get("language"), gaps.query),
        grouped_markers=heatmap.grouped_markers,
        solve_form=SolveForm(),
        published=published,
        parent=session.get(m.RosterVersion, version.parent_id) if version.parent_id else None,
        solved_by=solved_by(session, version.id),
        stale=_published_since(version, published),
        patterns=pattern_table(scenario, roster_.assignments),
        granted=preference_summary(scenario, roster_.assignments) if scenario.preferences else None,
    )


def _gap_url(version_id: int, language: str | None, query: GapQuery) -> Any:
    """``gap_url(sort="start", page=1)``: this roster page, heatmap language kept, with
    the gap list's state changed so, landing on the list."""

    def url(**changed: Any) -> str:
        return url_for(
            "planner.roster",
            version_id=version_id,
            language=language or None,
            **query.params(**changed),
            _anchor="gaps",
        )

    return url


def _conflict_text(problem: services.Conflict, seen_published: str) -> str:
    """Why a publish lost, in the roster numbers the pages show."""
    now = problem.current.get("published")
    requested = problem.current.get("requested") or {}
    if now and str(now["id"]) != seen_published and now["id"] != requested.get("id"):
        return (
            f"roster #{now['number']} was published by someone else since you opened this "
            "page. Nothing changed: reload, compare, and publish again if this draft should "
            f"replace it ({problem})."
        )
    return str(problem)


def _published_since(
    version: m.RosterVersion, published: m.RosterVersion | None
) -> m.RosterVersion | None:
    """The roster published after this draft was made (publishing the draft would
    replace it, undoing whatever it changed), if there is one."""
    if version.state != "draft" or published is None or published.published_at is None:
        return None
    return published if published.published_at > version.created_at else None


def _gap_view(gap: Any) -> dict[str, Any]:
    start = to_local(gap.start_utc, gap.local_zone)
    end = to_local(gap.end_utc, gap.local_zone)
    return {
        "language": gap.language,
        "start_utc": gap.start_utc,
        "end_utc": gap.end_utc,
        "start_local": start,
        "end_local": end,
        "start_iso": iso_local(start),
        "end_iso": iso_local(end),
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
    seen_published = form.expected_published.data or ""
    if (
        not form.validate_on_submit()
        or not form.expected_version.data.isdigit()
        or not (seen_published.isdigit() or seen_published == "")
    ):
        flash("The publish form was incomplete: reload the page and try again.", "error")
        return redirect(target)
    try:
        result = services.publish(
            session_factory(),
            version_id,
            current_user.id,
            int(form.expected_version.data),
            expected_published_id=int(seen_published) if seen_published else None,
        )
    except services.Conflict as problem:
        flash(f"Not published: {_conflict_text(problem, seen_published)}", "error")
        return redirect(target)
    except services.InvalidInput as problem:
        flash_refusal("Not published", problem)
        return redirect(target)
    superseded_id = result.get("superseded_id")
    superseded = request_session().get(m.RosterVersion, superseded_id) if superseded_id else None
    note = f" (roster #{superseded.number} is now superseded)" if superseded else ""
    flash(f"Published: agents see these shifts now{note}.", "success")
    for warning in result.get("warnings", []):
        flash(f"Note: {warning}.", "info")
    return redirect(target)


@planner.get("/rosters/<int:version_id>/history.csv")
@roles_required(*PLANNER_ROLES)
def history_download(version_id: int) -> Response:
    """The roster's last 14 days as history.csv, for the next period's folder (CLI)."""
    session = request_session()
    get_or_404(session, m.RosterVersion, version_id, "roster version")
    filename, text = history_csv(session, version_id)
    return download(text, CSV_TYPE, filename)


@planner.get("/rosters/<int:version_id>/revert")
@roles_required(*PLANNER_ROLES)
def revert_page(version_id: int) -> str:
    """Before/after of re-publishing an earlier version, and the button to do it."""
    session = request_session()
    version = get_or_404(session, m.RosterVersion, version_id, "roster version")
    preview = revert_preview(session_factory(), version_id)
    published = published_version(session, version.period_id)
    return render_template(
        "revert.html",
        version=version,
        period=period_detail(session, period_of(session, version)),
        preview=preview,
        published=published,
        form=PublishForm(
            expected_version=str(version.version_id),
            expected_published=str(published.id) if published else "",
        ),
    )


@planner.post("/rosters/<int:version_id>/revert")
@roles_required(*PLANNER_ROLES)
def revert(version_id: int) -> Response:
    form = PublishForm()
    seen = form.expected_published.data or ""
    if not form.validate_on_submit() or not (seen.isdigit() or seen == ""):
        flash("The revert form was incomplete: reload the page and try again.", "error")
        return redirect(url_for("planner.revert_page", version_id=version_id))
    try:
        result = services.revert(
            session_factory(),
            version_id,
            current_user.id,
            expected_published_id=int(seen) if seen else None,
        )
    except (services.Conflict, services.InvalidInput) as problem:
        flash_refusal("Not reverted", problem)
        return redirect(url_for("planner.roster", version_id=version_id))
    changes = result["changes"]
    flash(
        f"Roster #{result['id']} is published with the shifts of roster #{version_id}: "
        f"{changes['added']} shift(s) back, {changes['removed']} taken off, for "
        f"{len(changes['agents'])} agent(s).",
        "success",
    )
    for warning in result["warnings"]:
        flash(warning, "info")
    return redirect(url_for("planner.roster", version_id=result["id"]))
