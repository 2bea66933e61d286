"""The in-process runner used when no broker is configured (laptop, demo, tests).

One solve at a time on one background thread: CP-SAT releases the GIL while it
searches, so the web process stays responsive, and one solve already uses every
core. Jobs queue in submission order. A job that was queued when the process
stopped is not picked up again; one that was running is failed by the reaper.
"""

from __future__ import annotations

import os
import socket
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from scheduler.jobs.run import run_solve_job

_executor: ThreadPoolExecutor | None = None
_futures: dict[int, Future[str]] = {}
_lock = threading.Lock()


def local_worker_id() -> str:
    return f"local@{socket.gethostname()}:{os.getpid()}"


def submit_local(sessions: sessionmaker[Session], job_id: int) -> Future[str]:
    """Queue the job on this process's solve thread; the future gives its end state."""
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sunshift-solve")
        future = _executor.submit(run_solve_job, sessions, job_id, local_worker_id())
        _futures[job_id] = future
        future.add_done_callback(lambda _done: _futures.pop(job_id, None))
    return future


def holds_local(job_id: int) -> bool:
    """True while this process's solve thread has the job (queued or running)."""
    with _lock:
        return job_id in _futures


def wait_local(job_id: int, timeout: float | None = None) -> str | None:
    """Block until a locally submitted job ends; its state, or None if not known here
    (finished long ago, or run by another process)."""
    future = _futures.get(job_id)
    return None if future is None else future.result(timeout)
