"""Helpers shared by the service tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

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


def at_once(calls: list[Callable[[], object]]) -> list:
    """Run each call from its own thread, released together; their results or errors."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            outcomes[index] = calls[index]()
        except Exception as problem:  # the outcome is what the test looks at
            outcomes[index] = problem

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
