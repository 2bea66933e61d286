"""Roster versions: summary and assignments, coverage, gaps, the roster.csv export,
publishing with an optimistic version check, and planners' edits to assignments.

hr may read published (and formerly published) versions only; drafts are the
planners' work in progress.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from apiflask import APIBlueprint
from flask import Response

from calendars.zones import iso_local, iso_utc, to_local
from scheduler import services
from scheduler.roster_io import ROSTER_COLUMNS
from scheduler.services.errors import Forbidden
from scheduler.storage import models as m
from scheduler.storage.scenario_store import load_gaps, load_roster
from web.api.auth import PLANNERS, READERS, current_user, token_auth
from web.api.queries import (
    READABLE_BY_HR,
    assignment_dict,
    coverage_rows,
    get_or_404,
    roster_assignments,
    version_dict,
)
from web.api.schemas import (
    AddAssignmentSchema,
    AssignmentResultSchema,
    CoverageQuerySchema,
    CoverageSchema,
    GapListSchema,
    LockSchema,
    PageQuerySchema,
    PublishRequestSchema,
    RosterSchema,
    VersionResultSchema,
)
from web.api.session import request_session, session_factory

rosters = APIBlueprint("rosters", __name__, url_prefix="/api/v1", tag="Rosters")

CSV_RESPONSE = {
    200: {
        "description": "roster.csv of the scenario format: one row per worked shift",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


def readable_version(version_id: int) -> m.RosterVersion:
    """The version, if this user may read it (hr: published or superseded only)."""
    version = get_or_404(request_session(), m.RosterVersion, version_id, "roster version")
    if current_user().role == "hr" and version.state not in READABLE_BY_HR:
        raise Forbidden(
            f"roster version {version_id} is a {version.state}: hr reads published ones"
        )
    return version


@rosters.get("/rosters/<int:version_id>")
@rosters.auth_required(token_auth, roles=READERS)
@rosters.input(PageQuerySchema, location="query", arg_name="paging")
@rosters.output(RosterSchema)
@rosters.doc(responses=[403])
def detail(version_id: int, paging: dict[str, Any]):
    """A roster version: summary and assignments

    Assignments come in roster.csv order (agent, start), `per_page` at a time;
    `all=true` returns every one, `agent_id` only one agent's.
    """
    version = readable_version(version_id)
    per_page = None if paging["all"] else paging["per_page"]
    total, assignments = roster_assignments(
        request_session(), version_id, paging["page"], per_page, paging.get("agent_id")
    )
    return {
        "version": version_dict(version),
        "summary": version.summary,
        "total": total,
        "page": 1 if per_page is None else paging["page"],
        "per_page": total if per_page is None else per_page,
        "assignments": assignments,
    }


@rosters.get("/rosters/<int:version_id>/coverage")
@rosters.auth_required(token_auth, roles=READERS)
@rosters.input(CoverageQuerySchema, location="query", arg_name="query")
@rosters.output(CoverageSchema)
@rosters.doc(responses=[403])
def coverage(version_id: int, query: dict[str, Any]):
    """Required and staffed agents per interval and language (coverage.csv)"""
    readable_version(version_id)
    rows = coverage_rows(request_session(), version_id, query.get("language"))
    return {"version_id": version_id, "coverage": rows}


@rosters.get("/rosters/<int:version_id>/gaps")
@rosters.auth_required(token_auth, roles=READERS)
@rosters.output(GapListSchema)
@rosters.doc(responses=[403])
def gaps(version_id: int):
    """Each uncovered stretch: how much was unavoidable, and the binding reason"""
    readable_version(version_id)
    found = []
    for gap in load_gaps(request_session(), version_id):
        row = gap.as_row()
        row.update(
            start_utc=gap.start_utc,
            end_utc=gap.end_utc,
            start_local=to_local(gap.start_utc, gap.local_zone),
            end_local=to_local(gap.end_utc, gap.local_zone),
        )
        found.append(row)
    return {"version_id": version_id, "gaps": found}


@rosters.get("/rosters/<int:version_id>/export.csv")
@rosters.auth_required(token_auth, roles=READERS)
@rosters.doc(responses={**CSV_RESPONSE, 403: "Forbidden"})
def export_csv(version_id: int):
    """The roster as roster.csv"""
    readable_version(version_id)
    roster = load_roster(request_session(), version_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROSTER_COLUMNS)
    for a in roster.assignments:
        writer.writerow(
            [
                a.agent_id,
                a.site_id,
                a.date.isoformat(),
                a.shift_id,
                iso_utc(a.start_utc),
                iso_utc(a.end_utc),
                iso_local(a.start_local),
                iso_local(a.end_local),
            ]
        )
    filename = f"roster-v{version_id}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@rosters.post("/rosters/<int:version_id>/publish")
@rosters.auth_required(token_auth, roles=PLANNERS)
@rosters.input(PublishRequestSchema, arg_name="body")
@rosters.output(VersionResultSchema)
@rosters.doc(responses=[403, 409])
def publish(version_id: int, body: dict[str, Any]):
    """Publish a roster version

    Send the `version` you read as `expected_version`: if someone changed or
    published the roster since, the answer is 409 with the current version in
    `current`. The previously published version becomes superseded.
    """
    services.publish(session_factory(), version_id, current_user().id, body["expected_version"])
    session = request_session()
    session.expire_all()
    return version_dict(get_or_404(session, m.RosterVersion, version_id, "roster version"))


@rosters.post("/rosters/<int:version_id>/assignments")
@rosters.auth_required(token_auth, roles=PLANNERS)
@rosters.input(AddAssignmentSchema, arg_name="shift")
@rosters.output(AssignmentResultSchema, status_code=201)
@rosters.doc(responses=[403, 409])
def add_assignment(version_id: int, shift: dict[str, Any]):
    """Add a shift to a draft roster (locked by default, so a re-solve keeps it)"""
    assignment_id = services.add_assignment(
        session_factory(),
        version_id,
        shift["agent_id"],
        shift["date"],
        shift["shift"],
        current_user().id,
        locked=shift["locked"],
    )
    return _assignment(assignment_id)


@rosters.patch("/assignments/<int:assignment_id>")
@rosters.auth_required(token_auth, roles=PLANNERS)
@rosters.input(LockSchema, arg_name="change")
@rosters.output(AssignmentResultSchema)
@rosters.doc(responses=[403, 409])
def lock(assignment_id: int, change: dict[str, Any]):
    """Lock or unlock a shift (a locked shift survives re-solves)"""
    services.set_locked(session_factory(), assignment_id, change["locked"], current_user().id)
    return _assignment(assignment_id)


@rosters.delete("/assignments/<int:assignment_id>")
@rosters.auth_required(token_auth, roles=PLANNERS)
@rosters.output({}, status_code=204)
@rosters.doc(responses=[403, 409])
def remove(assignment_id: int):
    """Remove a shift from a draft roster"""
    services.remove_assignment(session_factory(), assignment_id, current_user().id)
    return ""


def _assignment(assignment_id: int) -> dict[str, Any]:
    session = request_session()
    session.expire_all()
    return assignment_dict(session, assignment_id)
