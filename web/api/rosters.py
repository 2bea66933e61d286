"""Roster versions: summary and assignments, coverage, gaps, the roster.csv export,
publishing with an optimistic version check, and planners' edits to assignments.

hr may read published (and formerly published) versions only; drafts are the
planners' work in progress.
"""

from __future__ import annotations

import io
from typing import Any

from apiflask import APIBlueprint
from flask import Response

from calendars.zones import to_local
from scheduler import services
from scheduler.roster_io import write_roster_csv
from scheduler.services import chaining
from scheduler.services.errors import Forbidden
from scheduler.storage import models as m
from scheduler.storage.scenario_store import load_gaps, load_roster
from web.api.auth import PLANNERS, READERS, current_user, token_auth
from web.api.queries import (
    assignment_dict,
    coverage_rows,
    get_or_404,
    readable_by,
    roster_assignments,
    version_dict,
)
from web.api.schemas import (
    AddAssignmentSchema,
    CoverageQuerySchema,
    CoverageSchema,
    EditResultSchema,
    GapListSchema,
    LockSchema,
    PageQuerySchema,
    PublishRequestSchema,
    PublishResultSchema,
    RevertPreviewSchema,
    RevertRequestSchema,
    RevertResultSchema,
    RosterSchema,
)
from web.api.session import request_session, session_factory
from web.downloads import CSV_TYPE, download

rosters = APIBlueprint("rosters", __name__, url_prefix="/api/v1", tag="Rosters")

HISTORY_RESPONSE = {
    200: {
        "description": "history.csv (v1.1): the version's shifts of its last 14 dates",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}
CSV_RESPONSE = {
    200: {
        "description": "roster.csv of the scenario format: one row per worked shift",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


def readable_version(version_id: int) -> m.RosterVersion:
    """The version, if this user may read it (hr: published or superseded only)."""
    version = get_or_404(request_session(), m.RosterVersion, version_id, "roster version")
    if not readable_by(current_user().role, version):
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
    write_roster_csv(out, roster.assignments)
    filename = f"roster-v{version_id}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@rosters.get("/rosters/<int:version_id>/history.csv")
@rosters.auth_required(token_auth, roles=READERS)
@rosters.doc(responses={**HISTORY_RESPONSE, 403: "Forbidden"})
def history_csv(version_id: int):
    """The roster's last 14 days as history.csv

    For the CLI path (`sunshift solve` of the next period's folder): the shifts of
    the last 14 dates of the version's period, in roster.csv's columns, which is
    the history.csv format (v1.1). A period imported here that starts where this
    one ends uses them without a file.
    """
    readable_version(version_id)
    filename, text = chaining.history_csv(request_session(), version_id)
    return download(text, CSV_TYPE, filename)


@rosters.post("/rosters/<int:version_id>/publish")
@rosters.auth_required(token_auth, roles=PLANNERS)
@rosters.input(PublishRequestSchema, arg_name="body")
@rosters.output(PublishResultSchema)
@rosters.doc(responses=[403, 409, 422])
def publish(version_id: int, body: dict[str, Any]):
    """Publish a roster version

    Send the `version` you read as `expected_version`, and the id of the version
    you saw published as `expected_published_id` (null when none was): if someone
    changed this draft, or published another version since, the answer is 409
    with what is there now in `current`. A draft that breaks a hard rule is 422
    (every violation). The previously published version becomes superseded.
    """
    published = services.publish(
        session_factory(),
        version_id,
        current_user().id,
        body["expected_version"],
        expected_published_id=body.get("expected_published_id", ...),
    )
    session = request_session()
    session.expire_all()
    version = get_or_404(session, m.RosterVersion, version_id, "roster version")
    return version_dict(version) | {
        "superseded_id": published["superseded_id"],
        "warnings": published["warnings"],
    }


@rosters.get("/rosters/<int:version_id>/revert")
@rosters.auth_required(token_auth, roles=PLANNERS)
@rosters.output(RevertPreviewSchema)
@rosters.doc(responses=[403, 409])
def revert_preview(version_id: int):
    """What re-publishing an earlier version would change, for whom

    Against the version published now: shifts kept, removed and added, and per
    agent which. Only a superseded (formerly published) version can be reverted to.
    """
    return services.revert_preview(session_factory(), version_id)


@rosters.post("/rosters/<int:version_id>/revert")
@rosters.auth_required(token_auth, roles=PLANNERS)
@rosters.input(RevertRequestSchema, arg_name="body")
@rosters.output(RevertResultSchema)
@rosters.doc(responses=[403, 409, 422])
def revert(version_id: int, body: dict[str, Any]):
    """Re-publish an earlier version

    Its shifts (and locks) exactly, as a new version checked like any publish
    against today's data, history and neighbours (422 with every broken rule;
    the copy stays a draft). Send the version you saw published as
    `expected_published_id`. The answer is the new published version, the one it
    superseded, `reverted_from` and the `changes` for whom.
    """
    result = services.revert(
        session_factory(),
        version_id,
        current_user().id,
        expected_published_id=body.get("expected_published_id", ...),
    )
    session = request_session()
    session.expire_all()
    version = get_or_404(session, m.RosterVersion, result["id"], "roster version")
    return version_dict(version) | {
        "superseded_id": result["superseded_id"],
        "warnings": result["warnings"],
        "reverted_from": result["reverted_from"],
        "changes": result["changes"],
    }


@rosters.post("/rosters/<int:version_id>/assignments")
@rosters.auth_required(token_auth, roles=PLANNERS)
@rosters.input(AddAssignmentSchema, arg_name="shift")
@rosters.output(EditResultSchema, status_code=201)
@rosters.doc(responses=[403, 409, 422])
def add_assignment(version_id: int, shift: dict[str, Any]):
    """Add a shift (locked by default, so a re-solve keeps it)

    Refused with 422 when it would break a hard rule for the agent: each error's
    `field` names the rule (e.g. `one_shift_per_date`, `min_rest`). Adding to the
    published version copies it to a new draft first: the answer names that draft.
    """
    edit = services.add_assignment(
        session_factory(),
        version_id,
        shift["agent_id"],
        shift["date"],
        shift["shift"],
        current_user().id,
        locked=shift["locked"],
    )
    return _edit_result(edit)


@rosters.patch("/assignments/<int:assignment_id>")
@rosters.auth_required(token_auth, roles=PLANNERS)
@rosters.input(LockSchema, arg_name="change")
@rosters.output(EditResultSchema)
@rosters.doc(responses=[403, 409])
def lock(assignment_id: int, change: dict[str, Any]):
    """Lock or unlock a shift (a locked shift survives re-solves)

    On the published version this edits a new draft copy: the answer's
    `assignment` is the row in that draft, with its own id.
    """
    edit = services.set_locked(
        session_factory(), assignment_id, change["locked"], current_user().id
    )
    return _edit_result(edit)


@rosters.delete("/assignments/<int:assignment_id>")
@rosters.auth_required(token_auth, roles=PLANNERS)
@rosters.output(EditResultSchema)
@rosters.doc(responses=[403, 409])
def remove(assignment_id: int):
    """Remove a shift

    On the published version this edits a new draft copy, named in the answer
    (`assignment` is null). Coverage, gaps and summary are recomputed.
    """
    edit = services.remove_assignment(session_factory(), assignment_id, current_user().id)
    return _edit_result(edit)


def _edit_result(edit: services.Edit) -> dict[str, Any]:
    """The draft an edit changed and its edited row, read after the service's commit."""
    session = request_session()
    session.expire_all()
    version = get_or_404(session, m.RosterVersion, edit.version_id, "roster version")
    return {
        "version": version_dict(version),
        "copied_from_id": edit.copied_from_id,
        "assignment": (
            None if edit.assignment_id is None else assignment_dict(session, edit.assignment_id)
        ),
    }
