"""Read-only queries shared by the JSON API and the pages, straight on the storage
models, shaped as plain dicts for the response schemas (``web.api.schemas``) and
the templates. Views call these rather than building queries of their own;
changes never happen here: they go through ``scheduler.services``."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, func, select, union
from sqlalchemy.orm import Session, joinedload

from calendars.zones import to_local
from scheduler.exports import RosterCover
from scheduler.jobs.reaper import looks_lost, reap_stale_jobs
from scheduler.requirements import RequirementTable, compute_requirements
from scheduler.services.chaining import period_links, roster_status
from scheduler.services.common import job_fields, version_fields
from scheduler.storage import models as m
from scheduler.storage.repository import (
    is_the_users_agent,
    list_periods,
    published_version,
    roster_versions,
)
from scheduler.storage.scenario_store import NotFound, load_period_scenario

READABLE_BY_HR = ("published", "superseded")


def get_or_404(session: Session, model: type[m.Base], row_id: int, what: str) -> Any:
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"no {what} with id {row_id}")
    return row


def current_job(session: Session, job_id: int) -> m.SolveJob:
    """A solve job as it truly is: one whose worker went silent is failed with the
    reason first (``reap_stale_jobs``), so a page or a client never reads ``running``
    for a dead worker."""
    job = get_or_404(session, m.SolveJob, job_id, "solve job")
    now = m.utc_now()
    if looks_lost(job, now):
        from web.api.session import session_factory

        reap_stale_jobs(session_factory(), now)
        session.expire_all()
        job = get_or_404(session, m.SolveJob, job_id, "solve job")
    return job


# --- periods -------------------------------------------------------------------------------


def period_dict(session: Session, period: m.PlanningPeriod) -> dict[str, Any]:
    start_utc = datetime.combine(period.horizon_start, time(0), tzinfo=UTC)
    published = published_version(session, period.id)
    return {
        "id": period.id,
        "name": period.name,
        "scenario_name": period.scenario_name,
        "horizon": {
            "start": period.horizon_start,
            "days": period.horizon_days,
            "interval_minutes": period.interval_minutes,
            "start_utc": start_utc,
            "end_utc": start_utc + timedelta(days=period.horizon_days),
        },
        "imported_at": period.imported_at,
        "published_version_id": published.id if published else None,
    }


def period_detail(session: Session, period: m.PlanningPeriod) -> dict[str, Any]:
    def active(model: type[m.Site | m.Agent]) -> int:
        query = select(func.count()).select_from(model).filter_by(period_id=period.id, active=True)
        return session.scalar(query) or 0

    demand_languages = union(
        select(m.ForecastRow.language).filter_by(period_id=period.id),
        select(m.RequiredRow.language).filter_by(period_id=period.id),
    )
    languages = set(session.scalars(demand_languages))
    languages.update(period.coverage.get("always_on", ()))
    versions = session.scalar(
        select(func.count()).select_from(m.RosterVersion).filter_by(period_id=period.id)
    )
    return {
        **period_dict(session, period),
        "sites": active(m.Site),
        "agents": active(m.Agent),
        "languages": sorted(languages),
        "demand": "required" if period.has_required else "forecast",
        "versions": versions or 0,
        **period_links(session, period),
    }


def period_details(session: Session) -> list[dict[str, Any]]:
    """Every period with its counts, oldest first (the periods page)."""
    return [period_detail(session, period) for period in list_periods(session)]


def period_of(session: Session, version: m.RosterVersion) -> m.PlanningPeriod:
    return session.get(m.PlanningPeriod, version.period_id)


REQUIREMENTS_KEPT = 8
"""Requirement tables kept in memory (the periods planners have open); each import
makes a new one, so the oldest used is dropped beyond this."""
_requirements_cache: OrderedDict[tuple[int, datetime], RequirementTable] = OrderedDict()
_requirements_lock = threading.Lock()


def period_requirements(session: Session, period_id: int) -> RequirementTable:
    """Agents needed per interval and language (kept per import: it never changes)."""
    period = session.get(m.PlanningPeriod, period_id)
    key = (period_id, period.imported_at)
    with _requirements_lock:
        found = _requirements_cache.get(key)
        if found is not None:
            _requirements_cache.move_to_end(key)
            return found
    found = compute_requirements(load_period_scenario(session, period_id))
    with _requirements_lock:
        _requirements_cache[key] = found
        while len(_requirements_cache) > REQUIREMENTS_KEPT:
            _requirements_cache.popitem(last=False)
    return found


# --- jobs ----------------------------------------------------------------------------------


def job_dict(job: m.SolveJob) -> dict[str, Any]:
    """The job for the API schemas and pages (``scheduler.services.common.job_fields``)."""
    return job_fields(job)


def period_jobs(session: Session, period_id: int) -> list[m.SolveJob]:
    """A period's solve jobs, newest first."""
    query = select(m.SolveJob).filter_by(period_id=period_id).order_by(m.SolveJob.id.desc())
    return list(session.scalars(query))


def solved_by(session: Session, version_id: int) -> int | None:
    """The id of the solve job that saved this version (None: a planner's edits)."""
    return session.scalar(select(m.SolveJob.id).filter_by(roster_version_id=version_id))


# --- roster versions -----------------------------------------------------------------------


def version_dict(version: m.RosterVersion) -> dict[str, Any]:
    """The version for the API schemas and pages (``version_fields``) with its status."""
    session = Session.object_session(version)
    return version_fields(version) | {"status": roster_status(session, version)}


def readable_by(role: str, version: m.RosterVersion) -> bool:
    """hr reads published (and formerly published) versions only: drafts are the
    planners' work in progress. The one place this rule lives (API and pages)."""
    return role != "hr" or version.state in READABLE_BY_HR


def versions_of(session: Session, period_id: int, role: str) -> list[m.RosterVersion]:
    return [v for v in roster_versions(session, period_id) if readable_by(role, v)]


def roster_cover(session: Session, version: m.RosterVersion) -> RosterCover:
    """What the payroll workbook's first sheet says: period, roster, publish time."""
    return RosterCover(
        period_name=period_of(session, version).name,
        roster_number=version.number,
        state=version.state,
        published_at=version.published_at,
        exported_at=datetime.now(UTC),
    )


def exportable_versions(session: Session) -> list[tuple[m.RosterVersion, m.PlanningPeriod]]:
    """(version, period) of every version hr may export, newest period first."""
    query = (
        select(m.RosterVersion, m.PlanningPeriod)
        .join(m.PlanningPeriod, m.RosterVersion.period_id == m.PlanningPeriod.id)
        .where(m.RosterVersion.state.in_(READABLE_BY_HR))
        .order_by(m.PlanningPeriod.horizon_start.desc(), m.RosterVersion.id.desc())
    )
    return [(version, period) for version, period in session.execute(query)]


def _assignment_query() -> Select:
    return (
        select(m.Assignment, m.Agent.code, m.Agent.name, m.Site.code, m.Site.timezone)
        .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
        .join(m.Site, m.Assignment.site_id == m.Site.id)
    )


def _assignment_dict(row: Any, local=to_local) -> dict[str, Any]:
    assignment, agent_code, agent_name, site_code, zone = row
    return {
        "id": assignment.id,
        "agent_id": agent_code,
        "agent_name": agent_name,
        "site": site_code,
        "date": assignment.local_date,
        "shift": assignment.shift_code,
        "start_utc": assignment.start_utc,
        "end_utc": assignment.end_utc,
        "start_local": local(assignment.start_utc, zone),
        "end_local": local(assignment.end_utc, zone),
        "locked": assignment.locked,
    }


def roster_assignments(
    session: Session,
    version_id: int,
    page: int,
    per_page: int | None,
    agent_code: str | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """(matching count, one page of assignments) ordered as roster.csv is."""
    query = _assignment_query().where(m.Assignment.roster_version_id == version_id)
    if agent_code:
        query = query.where(m.Agent.code == agent_code)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    query = query.order_by(m.Agent.code, m.Assignment.start_utc, m.Assignment.shift_code)
    if per_page is not None:
        query = query.offset((page - 1) * per_page).limit(per_page)
    local = cache(to_local)
    return total, [_assignment_dict(row, local) for row in session.execute(query)]


def assignment_dict(session: Session, assignment_id: int) -> dict[str, Any]:
    row = session.execute(_assignment_query().where(m.Assignment.id == assignment_id)).first()
    if row is None:
        raise NotFound(f"no assignment with id {assignment_id}")
    return _assignment_dict(row)


def assignment_agent_code(session: Session, assignment: m.Assignment) -> str:
    return session.get(m.Agent, assignment.agent_id).code


def users_agent(session: Session, user: m.User) -> m.Agent | None:
    """The agent row of an agent user (his newest, when several periods hold him)."""
    query = (
        select(m.Agent)
        .options(joinedload(m.Agent.site))  # the pages show it
        .where(is_the_users_agent(user))
        .order_by(m.Agent.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def my_shifts(
    session: Session, user: m.User, start: date | None, end: date | None
) -> list[dict[str, Any]]:
    """An agent user's shifts in the published version of every period, by start (the
    agents of his code and, when he has one, his e-mail)."""
    query = (
        _assignment_query()
        .add_columns(m.RosterVersion.id, m.PlanningPeriod.id, m.PlanningPeriod.name)
        .join(m.RosterVersion, m.Assignment.roster_version_id == m.RosterVersion.id)
        .join(m.PlanningPeriod, m.RosterVersion.period_id == m.PlanningPeriod.id)
        .where(m.RosterVersion.state == "published", is_the_users_agent(user))
        .order_by(m.Assignment.start_utc, m.Assignment.shift_code)
    )
    if start is not None:
        query = query.where(m.Assignment.local_date >= start)
    if end is not None:
        query = query.where(m.Assignment.local_date <= end)
    shifts = []
    for row in session.execute(query):
        *assignment_row, version_id, period_id, period_name = row
        shifts.append(
            {
                **_assignment_dict(assignment_row),
                "version_id": version_id,
                "period_id": period_id,
                "period_name": period_name,
            }
        )
    return shifts


def coverage_rows(
    session: Session, version_id: int, language: str | None = None
) -> list[dict[str, Any]]:
    """Required and staffed per interval and language, ordered as coverage.csv is."""
    query = select(m.CoverageSeries).filter_by(roster_version_id=version_id)
    if language:
        query = query.filter_by(language=language)
    rows = []
    for series in session.scalars(query):
        step = timedelta(minutes=series.interval_minutes)
        for index, (needed, served) in enumerate(zip(series.required, series.staffed, strict=True)):
            if needed is not None:
                rows.append(
                    {
                        "interval_start_utc": series.first_interval_utc + index * step,
                        "language": series.language,
                        "required": needed,
                        "staffed": served,
                    }
                )
    rows.sort(key=lambda row: (row["interval_start_utc"], row["language"]))
    return rows


def agent_zones(session: Session, period_id: int) -> dict[str, str]:
    """A period's agents' codes -> their site's time zone."""
    return dict(
        session.execute(
            select(m.Agent.code, m.Site.timezone)
            .join(m.Site, m.Agent.site_id == m.Site.id)
            .where(m.Agent.period_id == period_id)
        ).all()
    )


def users_active_agent(session: Session, user: m.User, period_id: int) -> m.Agent | None:
    """The signed-in agent's own row in a period, when he is active in it."""
    return session.scalar(
        select(m.Agent).where(
            m.Agent.period_id == period_id, m.Agent.active.is_(True), is_the_users_agent(user)
        )
    )


def upcoming_assignments(
    session: Session, version_id: int, agent_id: int, after: datetime
) -> list[m.Assignment]:
    """An agent's shifts of a roster version that start after ``after``, in order."""
    return list(
        session.scalars(
            select(m.Assignment)
            .filter_by(roster_version_id=version_id, agent_id=agent_id)
            .where(m.Assignment.start_utc > after)
            .order_by(m.Assignment.start_utc)
        )
    )


def site_colleagues(session: Session, agent: m.Agent) -> list[m.Agent]:
    """The other active agents at ``agent``'s site in his period, by code."""
    return list(
        session.scalars(
            select(m.Agent)
            .filter_by(period_id=agent.period_id, site_id=agent.site_id, active=True)
            .where(m.Agent.id != agent.id)
            .order_by(m.Agent.code)
        )
    )
