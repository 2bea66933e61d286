"""Rank what would cut a period's shortfall most (``scheduler.candidates``) against one
of its rosters, for the period page and the API.

It runs in the request, bounded: a short confirming solve for each of at most
``MAX_CONFIRMED`` candidates of at most ``MAX_CONFIRM_SECONDS``, and one ranking at a
time per process (a second gets TooManyRequests), so a click cannot pile solves on
the web server. Nothing is written: the ranking is advice.
"""

from __future__ import annotations

import threading

from sqlalchemy.orm import Session, sessionmaker

from scheduler.candidates import Ranking, rank
from scheduler.services.errors import NotFound, TooManyRequests
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.repository import published_version
from scheduler.storage.scenario_store import load_period_scenario, load_roster

MAX_CONFIRM_SECONDS = 30.0
MAX_CONFIRMED = 3
_one_at_a_time = threading.Lock()


def rank_period(
    sessions: sessionmaker[Session],
    period_id: int,
    version_id: int | None = None,
    confirm_seconds: float = 10.0,
    confirmed: int = 2,
) -> tuple[Ranking, int]:
    """The ranking against ``version_id`` (default: the published roster, else the
    newest) and that version's id."""
    confirm_seconds = min(max(1.0, confirm_seconds), MAX_CONFIRM_SECONDS)
    confirmed = min(max(0, confirmed), MAX_CONFIRMED)
    with unit_of_work(sessions) as session:
        if session.get(m.PlanningPeriod, period_id) is None:
            raise NotFound(f"no period with id {period_id}")
        version = _version(session, period_id, version_id)
        scenario = load_period_scenario(session, period_id)
        roster = load_roster(session, version.id)
        summary = version.summary or {}
        shortfall = summary.get("shortfall")
        if shortfall is None:
            shortfall = sum(max(0, row.required - row.staffed) for row in roster.coverage)
        bound, chosen = summary.get("bound"), version.id
    if not _one_at_a_time.acquire(blocking=False):
        raise TooManyRequests("a ranking is already running; try again shortly", 30, "ranking")
    try:
        found = rank(
            scenario,
            roster.assignments,
            shortfall,
            bound,
            confirm_seconds=confirm_seconds,
            confirmed=confirmed,
        )
    finally:
        _one_at_a_time.release()
    return found, chosen


def _version(session: Session, period_id: int, version_id: int | None) -> m.RosterVersion:
    if version_id is not None:
        version = session.get(m.RosterVersion, version_id)
        if version is None or version.period_id != period_id:
            raise NotFound(f"no roster version {version_id} in period {period_id}")
        return version
    version = published_version(session, period_id)
    if version is None:
        version = (
            session.query(m.RosterVersion)
            .filter_by(period_id=period_id)
            .order_by(m.RosterVersion.id.desc())
            .first()
        )
    if version is None:
        raise NotFound(f"period {period_id} has no roster yet: solve it first")
    return version
