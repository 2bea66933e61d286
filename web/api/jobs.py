"""Solve jobs: progress, and cancelling one (the worker stops at its next check)."""

from __future__ import annotations

from apiflask import APIBlueprint

from scheduler import services
from scheduler.storage import models as m
from web.api.auth import PLANNERS, current_user, token_auth
from web.api.queries import current_job, get_or_404, job_dict
from web.api.schemas import JobSchema
from web.api.session import request_session, session_factory

jobs = APIBlueprint("jobs", __name__, url_prefix="/api/v1", tag="Jobs")


@jobs.get("/jobs/<int:job_id>")
@jobs.auth_required(token_auth, roles=PLANNERS)
@jobs.output(JobSchema)
@jobs.doc(responses=[403])
def get(job_id: int):
    """A solve job: state, progress (elapsed, shortfall, objective, bound) and result"""
    return job_dict(current_job(request_session(), job_id))


@jobs.delete("/jobs/<int:job_id>")
@jobs.auth_required(token_auth, roles=PLANNERS)
@jobs.output(JobSchema)
@jobs.doc(responses=[403, 409])
def cancel(job_id: int):
    """Cancel a solve job

    A queued job is cancelled at once; a running one stops at the worker's next
    check (`cancel_requested` is true until then). A finished job cannot be
    cancelled: 409 with the job in `current`.
    """
    services.cancel_job(session_factory(), job_id, current_user().id)
    session = request_session()
    session.expire_all()
    return job_dict(get_or_404(session, m.SolveJob, job_id, "solve job"))
