"""Periods that chain: April follows March when April starts on the date March's
horizon ends and they share agents (matched by agent id, as publishing matches
them). The shifts of the last ``HISTORY_DAYS`` dates of March's *published*
roster are April's history (history.csv of the scenario format v1.1), so April's
solves, edits, checks and publishing see across the seam.

Nothing here commits; every function reads in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.domain import HISTORY_DAYS, HistoryShift
from scheduler.storage import models as m


@dataclass(frozen=True)
class Link:
    """A neighbouring period across a seam, and its published version if any."""

    period_id: int
    period_name: str
    version_id: int | None
    """The neighbour's published version now (None: nothing published)."""
    version_number: int | None
    shared_agents: int


def horizon_end(period: m.PlanningPeriod) -> date:
    """The first date after the period's horizon."""
    return period.horizon_start + timedelta(days=period.horizon_days)


def _codes(session: Session, period_id: int) -> set[str]:
    return set(session.scalars(select(m.Agent.code).filter_by(period_id=period_id, active=True)))


def _links(session: Session, period: m.PlanningPeriod, *, before: bool) -> list[Link]:
    codes = _codes(session, period.id)
    found = []
    for other in session.scalars(
        select(m.PlanningPeriod)
        .where(m.PlanningPeriod.id != period.id)
        .order_by(m.PlanningPeriod.id)
    ):
        touches = (
            horizon_end(other) == period.horizon_start
            if before
            else other.horizon_start == horizon_end(period)
        )
        if not touches:
            continue
        shared = len(codes & _codes(session, other.id))
        if not shared:
            continue
        published = session.scalar(
            select(m.RosterVersion).filter_by(period_id=other.id, state="published")
        )
        found.append(
            Link(
                other.id,
                other.name,
                published.id if published else None,
                published.number if published else None,
                shared,
            )
        )
    return found


def previous_period(session: Session, period: m.PlanningPeriod) -> Link | None:
    """The period this one follows: it ends where this one starts and shares agents;
    of several, the one with a published roster and the most shared agents."""
    links = _links(session, period, before=True)
    if not links:
        return None
    return max(links, key=lambda link: (link.version_id is not None, link.shared_agents))


def next_periods(session: Session, period: m.PlanningPeriod) -> list[Link]:
    """The periods that follow this one (they start where it ends, sharing agents)."""
    return _links(session, period, before=False)


def history_from(
    session: Session, version_id: int, start: date, codes: set[str] | None = None
) -> tuple[HistoryShift, ...]:
    """The shifts of ``version_id`` on the ``HISTORY_DAYS`` local dates before ``start``
    (of agents in ``codes``, when given), as history for a period starting then."""
    first = start - timedelta(days=HISTORY_DAYS)
    rows = session.execute(
        select(
            m.Agent.code,
            m.Assignment.local_date,
            m.Assignment.shift_code,
            m.Assignment.start_utc,
            m.Assignment.end_utc,
        )
        .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
        .where(
            m.Assignment.roster_version_id == version_id,
            m.Assignment.local_date >= first,
            m.Assignment.local_date < start,
        )
        .order_by(m.Agent.code, m.Assignment.start_utc)
    )
    return tuple(
        HistoryShift(code, day, shift, start_utc, end_utc)
        for code, day, shift, start_utc, end_utc in rows
        if codes is None or code in codes
    )


def period_history(
    session: Session, period: m.PlanningPeriod
) -> tuple[tuple[HistoryShift, ...], Link | None]:
    """The history a period's scenario carries: the last days of the published roster
    of the period it follows (empty when it follows none, or that one has nothing
    published), and the link it came from."""
    link = previous_period(session, period)
    if link is None or link.version_id is None:
        return (), link
    codes = _codes(session, period.id)
    return history_from(session, link.version_id, period.horizon_start, codes), link


def history_days(session: Session, version_id: int) -> tuple[HistoryShift, ...]:
    """A version's own last ``HISTORY_DAYS`` dates: the history.csv it hands on."""
    version = session.get(m.RosterVersion, version_id)
    if version is None:
        return ()
    return history_from(session, version_id, horizon_end(version.period))
