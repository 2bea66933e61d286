"""Read-only pages: the scenario overview and the agents table."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, render_template, request

from web.state import state
from web.summary import (
    allowed_shifts,
    coverage_summaries,
    language_summaries,
    site_summaries,
    time_off_by_agent,
)

pages = Blueprint("pages", __name__)


@pages.get("/")
def overview() -> str:
    current = state()
    scenario = current.scenario
    roster, roster_errors = current.roster()
    return render_template(
        "overview.html",
        scenario=scenario,
        sites=site_summaries(scenario, datetime.now(UTC)),
        languages=language_summaries(scenario, current.requirements),
        roster=roster,
        roster_errors=roster_errors,
        coverage=coverage_summaries(scenario, roster) if roster else [],
    )


@pages.get("/agents")
def agents() -> str:
    scenario = state().scenario
    site_id = request.args.get("site", "")
    language = request.args.get("language", "")
    shown = [
        agent
        for agent in scenario.agents
        if (not site_id or agent.site_id == site_id)
        and (not language or language in agent.languages)
    ]
    return render_template(
        "agents.html",
        scenario=scenario,
        agents=shown,
        site_id=site_id,
        language=language,
        time_off=time_off_by_agent(scenario),
        allowed_shifts=lambda agent: allowed_shifts(scenario, agent),
    )
