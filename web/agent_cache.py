"""What agents read, kept in memory per what it was made from: the load test's agents
(200 of them, a request every few seconds each) would otherwise rebuild the same
period and the same calendar again and again (docs/operations.md, "Load test").

* ``agent_scenario``: a period's sites, agents and time off (no demand, history or
  preferences), kept per the period's stamp: its ``imported_at`` (every import) and
  ``data_hash`` (every import and every recorded absence).
* ``feed_key`` / ``cached_feed``: an agent's merged calendar, kept per the user, his
  agent code and, for each period it holds, that stamp plus the published version's
  id, edit counter and publish time. Published rosters never change (an edit copies
  them into a draft), and a new publish or a revert changes the version the key holds.

Nothing stale is served: every request reads the stamps from the database first (one
small query) and uses a kept value only when it was made from the same stamps. Each
server process keeps its own (bounded) copy, so several processes stay correct too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import replace
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.domain import Scenario
from scheduler.services.kept import Kept
from scheduler.storage import models as m
from scheduler.storage.scenario_store import load_period_scenario
from web.calendar_feed import merged_calendar, published_periods

V = TypeVar("V")

SCENARIOS_KEPT = 16
"""Periods whose agent view is kept (the recent ones agents read)."""
FEEDS_KEPT = 4096
"""Calendars kept (one per agent and set of published versions; ~10 KB each)."""


_scenarios: Kept[Scenario] = Kept(SCENARIOS_KEPT)
_feeds: Kept[bytes] = Kept(FEEDS_KEPT)


def _period_stamps(session: Session, period_ids: list[int]) -> dict[int, tuple]:
    rows = session.execute(
        select(m.PlanningPeriod.id, m.PlanningPeriod.imported_at, m.PlanningPeriod.data_hash).where(
            m.PlanningPeriod.id.in_(period_ids)
        )
    )
    return {period_id: (period_id, imported, data_hash) for period_id, imported, data_hash in rows}


def _stable(
    stamp: Hashable, read_stamp: Callable[[], Hashable], kept: Kept[V], make: Callable[[], V]
) -> V:
    """The value kept for ``stamp`` (just read), else a new one, kept only when the stamp
    did not move while it was made (another request may commit in between)."""
    found = kept.get(stamp)
    if found is None:
        found = make()
        if read_stamp() == stamp:
            kept.put(stamp, found)
    return found


def agent_scenario(session: Session, period_id: int) -> Scenario:
    """The period as an agent's page and calendar read it: sites, agents, time off and
    settings, without the demand rows, the previous period's history and the agents'
    preferences (which change without moving ``data_hash``: read them from the database)."""

    def make() -> Scenario:
        loaded = load_period_scenario(session, period_id, demand=False)
        return replace(loaded, history=(), preferences=())

    def read() -> Hashable:
        return _period_stamps(session, [period_id]).get(period_id)

    return _stable(read(), read, _scenarios, make)


def feed_key(session: Session, user: m.User, today: date) -> tuple:
    """Everything the user's merged calendar is made from, as of now."""
    periods = published_periods(session, user, today)
    stamps = _period_stamps(session, [period_id for period_id, _ in periods])
    versions = {
        version_id: (version_id, counter, published_at)
        for version_id, counter, published_at in session.execute(
            select(
                m.RosterVersion.id, m.RosterVersion.version_id, m.RosterVersion.published_at
            ).where(m.RosterVersion.id.in_([version_id for _, version_id in periods]))
        )
    }
    return (
        user.id,
        user.name,
        user.agent_code,
        tuple(
            (stamps.get(period_id), versions.get(version_id)) for period_id, version_id in periods
        ),
    )


def etag_of(key: tuple) -> str:
    """A weak entity tag for the calendar made from ``key`` (weak: its DTSTAMP says when
    it was made, so two processes' copies differ in that line only)."""
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32]


def cached_feed(session: Session, user: m.User, today: date, key: tuple) -> bytes:
    """The user's merged calendar, made from ``key`` (``feed_key`` of the same request)."""
    code = user.agent_code or ""

    def make() -> bytes:
        periods = [(stamp[0], version[0]) for stamp, version in key[3] if stamp and version]
        return merged_calendar(session, user.name, code, periods, scenario_of=agent_scenario)

    return _stable(key, lambda: feed_key(session, user, today), _feeds, make)
