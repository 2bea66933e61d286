"""Planning periods: list, import (multipart upload of a scenario folder's files),
detail, re-import, and the period-level actions (solve jobs, versions, sick calls,
re-solve). Routes parse, call one service or query, and serialise."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from scheduler import services
from scheduler.services.audit import period_audit
from scheduler.storage import models as m
from scheduler.storage.repository import list_periods
from web.api.auth import PLANNERS, READERS, current_user, token_auth
from web.api.queries import (
    get_or_404,
    job_dict,
    period_detail,
    period_dict,
    period_jobs,
    version_dict,
    versions_of,
)
from web.api.schemas import (
    AuditListSchema,
    AuditQuerySchema,
    ImportedPeriodSchema,
    ImportFilesSchema,
    JobListSchema,
    JobSchema,
    PeriodDetailSchema,
    PeriodListSchema,
    ResolveRequestSchema,
    SolveRequestSchema,
    TimeOffRequestSchema,
    TimeOffSchema,
    VersionListSchema,
)
from web.api.session import request_session, session_factory

periods = APIBlueprint("periods", __name__, url_prefix="/api/v1", tag="Periods")

SCENARIO_FILES = ("scenario.toml", "agents.csv", "forecast.csv", "required.csv", "time_off.csv")


@periods.get("/periods")
@periods.auth_required(token_auth, roles=READERS)
@periods.output(PeriodListSchema)
@periods.doc(responses=[403])
def list_all():
    """List planning periods"""
    session = request_session()
    return {"periods": [period_dict(session, p) for p in list_periods(session)]}


@periods.post("/periods")
@periods.auth_required(token_auth, roles=PLANNERS)
@periods.input(ImportFilesSchema, location="form_and_files", arg_name="upload")
@periods.output(ImportedPeriodSchema, status_code=201)
@periods.doc(responses=[403, 409])
def import_period(upload: dict[str, Any]):
    """Import a scenario as a new planning period

    Upload the files of a scenario folder, each in a form field named like the
    file: `scenario.toml`, `agents.csv`, `forecast.csv` or `required.csv`, and
    optionally `time_off.csv`; `name` names the period (default: the scenario's
    name). Every error of every file is listed at once (422) and nothing is stored.
    `import_report` lists every warning (an unknown key, ...) and other periods'
    published rosters on the same dates for some of the same agents (`overlaps`).
    """
    report = services.import_files_report(
        session_factory(), _file_bytes(upload), current_user().id, period_name=upload.get("name")
    )
    return _detail(report.period_id) | {"import_report": report.as_dict()}


@periods.put("/periods/<int:period_id>")
@periods.auth_required(token_auth, roles=PLANNERS)
@periods.input(ImportFilesSchema, location="form_and_files", arg_name="upload")
@periods.output(ImportedPeriodSchema)
@periods.doc(responses=[403, 409])
def reimport_period(period_id: int, upload: dict[str, Any]):
    """Re-import a period's scenario files

    Sites and agents are matched by their code, so saved rosters stay valid;
    those missing from the new files are deactivated, not deleted. Time off
    recorded in the app is kept. `import_report` says what changed (agents, sites,
    languages, forecast, settings, time off), every warning, the `conflicts`
    between the new files and what the app recorded, and `overlaps`.
    """
    report = services.import_files_report(
        session_factory(),
        _file_bytes(upload),
        current_user().id,
        period_name=upload.get("name"),
        period_id=period_id,
    )
    return _detail(period_id) | {"import_report": report.as_dict()}


@periods.get("/periods/<int:period_id>")
@periods.auth_required(token_auth, roles=READERS)
@periods.output(PeriodDetailSchema)
@periods.doc(responses=[403])
def detail(period_id: int):
    """A planning period: horizon, active sites and agents, languages"""
    return _detail(period_id)


@periods.post("/periods/<int:period_id>/jobs")
@periods.auth_required(token_auth, roles=PLANNERS)
@periods.input(SolveRequestSchema, arg_name="options")
@periods.output(JobSchema, status_code=202)
@periods.doc(responses=[403])
def start_solve(period_id: int, options: dict[str, Any]):
    """Queue a solve of the period

    Poll `GET /api/v1/jobs/{id}` for progress; a succeeded job names the roster
    version it saved as a draft.
    """
    job_id = services.start_solve(session_factory(), period_id, current_user().id, **options)
    return _job(job_id)


@periods.get("/periods/<int:period_id>/jobs")
@periods.auth_required(token_auth, roles=PLANNERS)
@periods.output(JobListSchema)
@periods.doc(responses=[403])
def list_jobs(period_id: int):
    """The period's solve jobs, newest first"""
    session = request_session()
    get_or_404(session, m.PlanningPeriod, period_id, "planning period")
    return {"jobs": [job_dict(job) for job in period_jobs(session, period_id)]}


@periods.get("/periods/<int:period_id>/rosters")
@periods.auth_required(token_auth, roles=READERS)
@periods.output(VersionListSchema)
@periods.doc(responses=[403])
def list_versions(period_id: int):
    """The period's roster versions, newest first (hr: published ones only)"""
    session = request_session()
    get_or_404(session, m.PlanningPeriod, period_id, "planning period")
    versions = versions_of(session, period_id, current_user().role)
    return {"versions": [version_dict(v) for v in versions]}


@periods.post("/periods/<int:period_id>/time-off")
@periods.auth_required(token_auth, roles=PLANNERS)
@periods.input(TimeOffRequestSchema, arg_name="absence")
@periods.output(TimeOffSchema, status_code=201)
@periods.doc(responses=[403])
def record_time_off(period_id: int, absence: dict[str, Any]):
    """Record a sick call or other absence

    Follow it with `POST /api/v1/periods/{id}/resolve` to repair the published
    roster around it.
    """
    time_off_id = services.record_time_off(
        session_factory(),
        period_id,
        absence["agent_id"],
        absence["start_date"],
        absence["end_date"],
        absence["reason"],
        current_user().id,
    )
    return {"id": time_off_id, "period_id": period_id, **absence}


@periods.post("/periods/<int:period_id>/resolve")
@periods.auth_required(token_auth, roles=PLANNERS)
@periods.input(ResolveRequestSchema, arg_name="options")
@periods.output(JobSchema, status_code=202)
@periods.doc(responses=[403, 409])
def resolve(period_id: int, options: dict[str, Any]):
    """Re-solve from the published roster

    Locked shifts stay, and changes to the published roster are kept few; the
    job saves a new draft to review and publish.
    """
    job_id = services.resolve(session_factory(), period_id, current_user().id, **options)
    return _job(job_id)


@periods.get("/periods/<int:period_id>/audit")
@periods.auth_required(token_auth, roles=PLANNERS)
@periods.input(AuditQuerySchema, location="query", arg_name="query")
@periods.output(AuditListSchema)
@periods.doc(responses=[403])
def audit(period_id: int, query: dict[str, Any]):
    """The period's audit trail, newest first

    Who imported, solved, edited, published, reverted and recorded absences, and
    when; `agent_id` keeps the entries about one agent (his shifts, his time off).
    """
    entries = period_audit(request_session(), period_id, query.get("agent_id"))
    return {"period_id": period_id, "entries": entries}


def _file_bytes(upload: dict[str, Any]) -> dict[str, bytes]:
    return {
        name: upload[key].read()
        for name in SCENARIO_FILES
        if (key := name.replace(".", "_")) in upload and upload[key] is not None
    }


def _detail(period_id: int) -> dict[str, Any]:
    session = request_session()
    session.expire_all()  # a service may have changed it in its own session
    return period_detail(
        session, get_or_404(session, m.PlanningPeriod, period_id, "planning period")
    )


def _job(job_id: int) -> dict[str, Any]:
    session = request_session()
    session.expire_all()
    return job_dict(get_or_404(session, m.SolveJob, job_id, "solve job"))
