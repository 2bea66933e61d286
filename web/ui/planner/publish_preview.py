"""The publish confirmation: before a draft replaces the published roster, what changes
for each agent (shifts added, removed and moved, in his local time with the offset)
and per language the coverage before and after (``scheduler.roster_compare``). The
roster page's publish button leads here; the form here publishes, sending what the
planner saw so a change since is refused (``planner.publish``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from flask import render_template

from scheduler.domain import CoverageRow
from scheduler.roster_compare import compare_rosters
from scheduler.storage import models as m
from scheduler.storage.repository import published_version
from scheduler.storage.scenario_store import load_period_scenario, load_roster
from web.api.queries import get_or_404, period_detail, period_of
from web.api.session import request_session
from web.ui.forms import PublishForm
from web.ui.planner.blueprint import planner
from web.ui.planner.compare import _change_text
from web.ui.security import PLANNER_ROLES, roles_required


@planner.get("/rosters/<int:version_id>/publish")
@roles_required(*PLANNER_ROLES)
def publish_preview(version_id: int) -> str:
    session = request_session()
    version = get_or_404(session, m.RosterVersion, version_id, "roster version")
    published = published_version(session, version.period_id)
    if published is not None and published.id == version.id:
        published = None  # the published roster itself: nothing to read it against
    roster_ = load_roster(session, version_id)
    before = load_roster(session, published.id) if published is not None else None
    comparison = compare_rosters(before, roster_) if before is not None else None
    scenario = load_period_scenario(session, version.period_id, demand=False)
    agents = {agent.id: agent for agent in scenario.agents}
    sites = scenario.sites_by_id
    return render_template(
        "publish.html",
        version=version,
        period=period_detail(session, period_of(session, version)),
        published=published,
        comparison=comparison,
        shift_count=len(roster_.assignments),
        agent_count=len({a.agent_id for a in roster_.assignments}),
        languages=coverage_rows(before.coverage if before else None, roster_.coverage),
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
        form=PublishForm(
            expected_version=str(version.version_id),
            expected_published=str(published.id) if published else "",
        ),
    )


def coverage_rows(
    before: Iterable[CoverageRow] | None, after: Iterable[CoverageRow]
) -> list[dict[str, Any]]:
    """Per language: covered share and shortfall (missing agent-intervals) of the
    published roster (None when there is none) and of the draft."""
    old = _coverage(before) if before is not None else {}
    new = _coverage(after)
    rows = []
    for language in sorted(set(old) | set(new)):
        was, now = old.get(language), new.get(language, (0, 0))
        rows.append(
            {
                "language": language,
                "covered_before": _share(*was) if was else None,
                "covered_after": _share(*now),
                "short_before": was[0] - was[1] if was else None,
                "short_after": now[0] - now[1],
                "change": (now[0] - now[1]) - (was[0] - was[1]) if was else None,
            }
        )
    return rows


def _coverage(rows: Iterable[CoverageRow]) -> dict[str, tuple[int, int]]:
    """Language -> (required agent-intervals, covered agent-intervals)."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        sums[row.language][0] += row.required
        sums[row.language][1] += min(row.required, row.staffed)
    return {language: (required, covered) for language, (required, covered) in sums.items()}


def _share(required: int, covered: int) -> float | None:
    return covered / required if required else None
