"""Time-off requests: an agent asks, reads and withdraws his own; planners read a
period's queue with each request's staffing impact, and decide.

Agents act only for themselves: nothing here takes an agent id from the request,
and another agent's request is 404 (its existence is not told)."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, Schema
from apiflask.fields import Boolean, Date, Dict, Float, Integer, List, Nested, String
from apiflask.validators import Length, OneOf, Range

from scheduler.services import time_off_requests as service
from scheduler.storage import models as m
from web import clock
from web.api.auth import AGENTS, PLANNERS, current_user, token_auth
from web.api.queries import job_dict
from web.api.schemas import JobSchema
from web.api.session import request_session, session_factory

time_off = APIBlueprint("time_off_requests", __name__, url_prefix="/api/v1", tag="Time off")


# --- schemas -------------------------------------------------------------------------------


class NewLeaveSchema(Schema):
    start_date = Date(required=True, metadata={"description": "first local date off"})
    end_date = Date(
        required=True,
        metadata={"description": f"last local date off (at most {service.MAX_DAYS} days)"},
    )
    reason = String(load_default="", validate=Length(max=service.MAX_REASON))


class LeaveDecisionSchema(Schema):
    decision = String(required=True, validate=OneOf(service.DECISIONS))
    reason = String(
        load_default="",
        validate=Length(max=service.MAX_REASON),
        metadata={"description": "required to decline: the agent reads it"},
    )


class LeaveQueueQuerySchema(Schema):
    state = String(validate=OneOf(("pending", "approved", "declined", "withdrawn")))


class RemovedShiftSchema(Schema):
    date = String(required=True)
    shift = String(required=True)
    start_utc = String(required=True)
    end_utc = String(required=True)
    start_local = String(required=True)
    end_local = String(required=True)


class ImpactIntervalSchema(Schema):
    start_utc = String(required=True)
    language = String(required=True)
    required = Integer(required=True)
    staffed_before = Integer(required=True)
    staffed_after = Integer(required=True)
    added_shortfall = Integer(required=True)


class LeaveImpactSchema(Schema):
    total = Integer(required=True, metadata={"description": "agent-intervals of shortfall added"})
    by_language = Dict(keys=String(), values=Integer(), required=True)
    interval_minutes = Integer(required=True)
    removed_shifts = List(Nested(RemovedShiftSchema), required=True)
    intervals = List(Nested(ImpactIntervalSchema), required=True)


class LeaveResolveSchema(Schema):
    job_id = Integer(required=True)
    state = String(required=True)
    version_id = Integer(allow_none=True, metadata={"description": "the re-solve's draft"})
    base_version_id = Integer(allow_none=True)
    current = Boolean(
        required=True, metadata={"description": "re-solved from the roster published now"}
    )
    total = Integer(allow_none=True, metadata={"description": "shortfall the re-solved draft adds"})
    by_language = Dict(keys=String(), values=Integer(), required=True)
    changed_shifts = Integer(allow_none=True)


class LeaveResolveRequestSchema(Schema):
    period_id = Integer(required=True, validate=Range(min=1))
    time_limit_seconds = Float(
        load_default=service.RESOLVE_SECONDS,
        validate=Range(min=1, max=600),
        metadata={"description": "a quick re-solve: 1 to 600 seconds"},
    )


class LeaveRequestSchema(Schema):
    id = Integer(required=True)
    agent_id = String(required=True)
    user = String(allow_none=True)
    start_date = String(required=True)
    end_date = String(required=True)
    days = Integer(required=True)
    reason = String(required=True)
    state = String(
        required=True, metadata={"description": "pending, approved, declined, withdrawn"}
    )
    created_at = String(required=True)
    decided_at = String(allow_none=True)
    decided_by = String(allow_none=True)
    decision_reason = String(required=True)
    outcome = Dict(
        required=True,
        metadata={"description": "approved: `time_off` and `drafts` (per period) it made"},
    )


class LeaveQueueItemSchema(LeaveRequestSchema):
    impact = Nested(
        LeaveImpactSchema,
        allow_none=True,
        metadata={"description": "pending requests on a published roster: the shortfall added"},
    )
    resolve = Nested(LeaveResolveSchema, allow_none=True)


class LeaveListSchema(Schema):
    requests = List(Nested(LeaveRequestSchema), required=True)


class LeaveQueueSchema(Schema):
    period_id = Integer(required=True)
    published_version_id = Integer(allow_none=True)
    requests = List(Nested(LeaveQueueItemSchema), required=True)


# --- routes --------------------------------------------------------------------------------


@time_off.post("/me/time-off-requests")
@time_off.auth_required(token_auth, roles=AGENTS)
@time_off.input(NewLeaveSchema, arg_name="asked")
@time_off.output(LeaveRequestSchema, status_code=201)
@time_off.doc(responses=[403, 409])
def ask(asked: dict[str, Any]):
    """Ask for whole days off

    Dates are local dates from today, inside or after the current planning periods
    that include you, at most 31 days in one request. 409 when one of the dates is
    in another of your pending requests (withdraw it first).
    """
    return service.request_time_off(
        session_factory(),
        current_user().id,
        asked["start_date"],
        asked["end_date"],
        asked["reason"],
        clock.today(),
    )


@time_off.get("/me/time-off-requests")
@time_off.auth_required(token_auth, roles=AGENTS)
@time_off.output(LeaveListSchema)
@time_off.doc(responses=[403])
def mine():
    """My time-off requests, newest first, with their state and the planner's reason"""
    return {"requests": service.my_requests(session_factory(), current_user().id)}


@time_off.delete("/me/time-off-requests/<int:request_id>")
@time_off.auth_required(token_auth, roles=AGENTS)
@time_off.output(LeaveRequestSchema)
@time_off.doc(responses=[403, 404, 409])
def withdraw(request_id: int):
    """Withdraw one of my pending requests

    409 when it was decided meanwhile (the message says how); another agent's
    request is 404.
    """
    return service.withdraw(session_factory(), current_user().id, request_id)


@time_off.post("/me/time-off-requests/<int:request_id>/withdraw")
@time_off.auth_required(token_auth, roles=AGENTS)
@time_off.output(LeaveRequestSchema)
@time_off.doc(responses=[403, 404, 409])
def withdraw_post(request_id: int):
    """Withdraw one of my pending requests (the same as DELETE, for clients without it)"""
    return service.withdraw(session_factory(), current_user().id, request_id)


@time_off.get("/periods/<int:period_id>/time-off-requests")
@time_off.auth_required(token_auth, roles=PLANNERS)
@time_off.input(LeaveQueueQuerySchema, location="query", arg_name="query")
@time_off.output(LeaveQueueSchema)
@time_off.doc(responses=[403, 404])
def queue(period_id: int, query: dict[str, Any]):
    """The period's time-off requests with their staffing impact

    Requests of the period's agents overlapping its dates, pending first. Each
    pending one has `impact`: the shortfall per language and interval approving
    it would add to the published roster if his shifts there were removed and
    nobody replaced him.
    """
    return service.period_requests(session_factory(), period_id, query.get("state"))


@time_off.post("/time-off-requests/<int:request_id>/decision")
@time_off.auth_required(token_auth, roles=PLANNERS)
@time_off.input(LeaveDecisionSchema, arg_name="body")
@time_off.output(LeaveRequestSchema)
@time_off.doc(responses=[403, 404, 409])
def decide(request_id: int, body: dict[str, Any]):
    """Approve or decline a pending request

    Approving records the time off and saves, per period whose published roster
    gives him shifts on those days, a new draft without them (`outcome.drafts`):
    re-solve or edit it, then publish. Declining needs a `reason`, which the agent
    sees. 409 when another planner decided it, or the agent withdrew it, first.
    """
    return service.decide(
        session_factory(), request_id, current_user().id, body["decision"], body["reason"]
    )


@time_off.post("/time-off-requests/<int:request_id>/resolve")
@time_off.auth_required(token_auth, roles=PLANNERS)
@time_off.input(LeaveResolveRequestSchema, arg_name="body")
@time_off.output(JobSchema, status_code=202)
@time_off.doc(responses=[403, 404, 409, 429])
def resolve(request_id: int, body: dict[str, Any]):
    """Re-solve around a pending request, as if approved

    A quick solve job (default 10 s) from the period's published roster, keeping its
    locked shifts and changing few others, with the request's days as time off for
    that solve only. Once it succeeded, the period's queue shows under `resolve` the
    shortfall its draft adds to the published roster. 409 if the request is no
    longer pending or nothing is published.
    """
    job_id = service.resolve_impact(
        session_factory(),
        request_id,
        body["period_id"],
        current_user().id,
        body["time_limit_seconds"],
    )
    session = request_session()
    session.expire_all()
    return job_dict(session.get(m.SolveJob, job_id))
