"""A running job's link to the database: heartbeat, progress, log and cancel.

The solver reports progress only when it finds a better roster, which can be
minutes apart; a heartbeat tied to those reports would make a busy worker look
dead. So a small thread writes the heartbeat (with the latest progress and log)
once a second, whatever the solver does, and reads ``cancel_requested`` back.
The solver thread never waits on the database: its callback only stores the
latest figures, and raises ``JobCancelled`` once a cancel was seen, which
aborts CP-SAT's search at once (an exception in a solution callback stops
``CpSolver.solve``).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from solver.input import Progress

log = logging.getLogger(__name__)

BEAT_SECONDS = 1.0
"""How often progress and the heartbeat are written (and a cancel is noticed)."""


class JobCancelled(Exception):
    """Raised inside the solver's progress callback to stop a cancelled job."""


@dataclass
class _Written:
    progress: Progress | None = None
    log_lines: int = 0


class JobMonitor:
    """Heartbeat thread plus the progress callback of one running job."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        job_id: int,
        worker_id: str,
        beat_seconds: float = BEAT_SECONDS,
        earlier_log: str = "",
    ) -> None:
        self.sessions = sessions
        self.job_id = job_id
        self.worker_id = worker_id
        self.beat_seconds = beat_seconds
        self.cancelled = threading.Event()
        self.lost = False
        """True once the job stopped being ours (reaped as lost, or finished elsewhere)."""
        self._latest: Progress | None = None
        self._lines: list[str] = earlier_log.splitlines()
        self._written = _Written(log_lines=len(self._lines))
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"sunshift-job-{job_id}-heartbeat", daemon=True
        )

    def __enter__(self) -> JobMonitor:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def on_progress(self, progress: Progress) -> None:
        """The solver's callback: remember the figures; stop the solve if cancelled."""
        with self._lock:
            self._latest = progress
        if self.cancelled.is_set():
            raise JobCancelled(f"job {self.job_id} cancelled")

    def note(self, line: str) -> None:
        """Add a line to the job's log (written with the next heartbeat)."""
        log.info("job %s: %s", self.job_id, line)
        with self._lock:
            self._lines.append(line)

    @property
    def log_text(self) -> str:
        with self._lock:
            return "".join(f"{line}\n" for line in self._lines)

    def stop(self) -> None:
        """Stop the heartbeat thread; the caller writes the final state itself."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.beat_seconds):
            try:
                self.beat()
            except Exception:  # a lost connection: the heartbeat goes stale, the solve goes on
                log.exception("job %s: heartbeat not written", self.job_id)

    def beat(self) -> None:
        """Write heartbeat, new progress and new log lines; read the cancel flag."""
        with self._lock:
            progress, lines = self._latest, list(self._lines)
        values: dict = {"heartbeat_at": m.utc_now()}
        if progress is not None and progress != self._written.progress:
            values |= {
                "elapsed_seconds": progress.elapsed_seconds,
                "shortfall": progress.shortfall,
                "objective": progress.objective,
                "bound": progress.bound,
                "phase": progress.phase,
            }
        if len(lines) != self._written.log_lines:
            values["log"] = "".join(f"{line}\n" for line in lines)
        with unit_of_work(self.sessions) as session:
            ours = session.execute(
                update(m.SolveJob)
                .where(
                    m.SolveJob.id == self.job_id,
                    m.SolveJob.state == "running",
                    m.SolveJob.worker_id == self.worker_id,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            cancel = session.scalar(
                select(m.SolveJob.cancel_requested).where(m.SolveJob.id == self.job_id)
            )
        self._written = _Written(progress, len(lines))
        if ours.rowcount != 1:
            self.lost = True
            self.cancelled.set()
        elif cancel:
            self.cancelled.set()
