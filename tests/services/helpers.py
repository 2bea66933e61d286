"""Helpers shared by the service tests."""

from __future__ import annotations

import time

from sqlalchemy.orm import Session, sessionmaker

from scheduler.services import get_job
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work

FINAL = ("succeeded", "failed", "cancelled")
JOB_WAIT_SECONDS = 180.0
"""Upper bound to wait for a job to end (a safety net, not an assertion on speed)."""


def wait_for_job(sessions: sessionmaker[Session], job_id: int, states=FINAL) -> dict:
    """Poll the job until it reaches one of ``states``."""
    deadline = time.monotonic() + JOB_WAIT_SECONDS
    while True:
        job = get_job(sessions, job_id)
        if job["state"] in states or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


def version_counter(sessions: sessionmaker[Session], version_id: int) -> int:
    with unit_of_work(sessions) as session:
        return session.get(m.RosterVersion, version_id).version_id
