"""Two rosters of a period side by side (``scheduler.roster_compare``): per agent the
shifts added, removed and moved in his local time, per language the shortfall in
each. The roster of the address is the later one; ``?with=<id>`` picks the one it
is read against, by default the period's published roster (or, for the published
roster itself, the roster it was made from)."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request

from scheduler.domain import Assignment
from scheduler.roster_compare import compare_rosters
from scheduler.storage import models as m
from scheduler.storage.repository import published_version, roster_versions
from scheduler.storage.scenario_store import load_period_scenario, load_roster
from web.api.queries import get_or_404, period_detail, period_of
from web.api.session import request_session
from web.summary import format_offset
from web.ui.planner.blueprint import planner
from web.ui.security import PLANNER_ROLES, roles_required


@planner.get("/rosters/<int:version_id>/compare")
@roles_required(*PLANNER_ROLES)
def compare(version_id: int) -> str:
    session = request_session()
    version = get_or_404(session, m.RosterVersion, version_id, "roster version")
    versions = roster_versions(session, version.period_id)
    other = _other(session, version, versions)
    comparison, agents, sites = None, {}, {}
    if other is not None:
        scenario = load_period_scenario(session, version.period_id, demand=False)
        comparison = compare_rosters(
            load_roster(session, other.id), load_roster(session, version.id)
        )
        agents = {agent.id: agent for agent in scenario.agents}
        sites = {site.id: site for site in scenario.sites}
    return render_template(
        "compare.html",
        version=version,
        other=other,
        versions=[v for v in versions if v.id != version.id],
        period=period_detail(session, period_of(session, version)),
        comparison=comparison,
        rows=[
            {
                "agent": agents.get(changed.agent_id),
                "agent_id": changed.agent_id,
                "site": sites.get(getattr(agents.get(changed.agent_id), "site_id", "")),
                "changed": changed,
                "lines": [_change_text(change) for change in changed.changes],
            }
            for changed in (comparison.agents if comparison else ())
        ],
    )


def _other(
    session: Any, version: m.RosterVersion, versions: list[m.RosterVersion]
) -> m.RosterVersion | None:
    """The roster to read ``version`` against: ``?with=``, else the published one, else
    the one it was made from; None when there is none (the page offers a choice)."""
    chosen = request.args.get("with", "")
    if chosen:
        if not chosen.isdigit():
            abort(404)
        other = get_or_404(session, m.RosterVersion, int(chosen), "roster version")
        if other.period_id != version.period_id:
            abort(404)
        return other
    published = published_version(session, version.period_id)
    if published is not None and published.id != version.id:
        return published
    if version.parent_id is not None:
        return session.get(m.RosterVersion, version.parent_id)
    return next((v for v in versions if v.id != version.id), None)


def _change_text(change: Any) -> dict[str, str]:
    """A change as the agent would read it: local times at his site, with the offset."""
    return {
        "kind": change.kind,
        "date": change.date.strftime("%a %d %b"),
        "before": _local(change.before) if change.before else "",
        "after": _local(change.after) if change.after else "",
    }


def _local(shift: Assignment) -> str:
    start, end = shift.start_local, shift.end_local
    offset = f"UTC{format_offset(start.utcoffset())}"
    day_after = " (+1 day)" if end.date() > start.date() else ""
    return f"{shift.shift_id} {start:%H:%M}–{end:%H:%M}{day_after} {offset}"
