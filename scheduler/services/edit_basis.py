"""What an edit recomputes a draft from besides its shifts, kept per server process.

Every edit of a period's roster reads the same scenario (10,000+ forecast rows), the
same requirements and the same solver problem, and explains gaps from the same
speakers' reasons: for the load test's 200-agent period that was about a third of an
edit's time. ``edit_basis`` keeps them per period, keyed by what they are made from:

* the period's ``imported_at`` and ``data_hash`` (every import and every recorded
  absence moves them), read from the database on every call;
* its history (the previous period's published roster) and its agents'
  preferences, read on every call (two small queries) and compared whole.

A kept basis is used only when all of them are what the database says now, and a new
one is kept only when the period's stamp did not move while it was read (another
process may commit an import in between).

``kept_draft`` / ``keep_draft``: a draft's shifts, coverage and gaps as an edit in this
process committed them, keyed by the version's id, creation time and optimistic
counter (and the period's stamp, which local times depend on). Every change of a
draft's shifts moves its counter (``scheduler.services.editing``), and an edit takes
the draft with a conditional UPDATE of the counter it read: so a kept draft is used
only for the counter the database holds, and an edit by anyone else since (another
planner, another process) moves the counter and the draft is read from the database
again. A draft is kept only after its edit committed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.domain import Assignment, CoverageRow, Scenario
from scheduler.gaps import Gap
from scheduler.services.kept import Kept
from scheduler.services.rebuild import Prepared, prepare
from scheduler.storage import models as m
from scheduler.storage.chain import period_history
from scheduler.storage.preference_store import load_preferences
from scheduler.storage.scenario_store import load_period_scenario, load_roster

PERIODS_KEPT = 4
"""Periods whose edit basis a process keeps (a scenario, its requirements and problem,
and the speakers' reasons: a few MB to tens of MB for a 200-agent period)."""
DRAFTS_KEPT = 16
"""Drafts whose state a process keeps (about 3 MB each for a 200-agent, 14-day period)."""


@dataclass(frozen=True)
class EditBasis:
    stamp: tuple
    """The period's id, ``imported_at`` and ``data_hash`` it was made from."""
    scenario: Scenario
    prepared: Prepared
    history_version_id: int | None = None
    """The previous period's published version the history came from (None: none)."""


@dataclass(frozen=True)
class DraftState:
    """A roster version's shifts, coverage and gaps (its summary is read from its row)."""

    assignments: tuple[Assignment, ...]
    coverage: tuple[CoverageRow, ...]
    gaps: tuple[Gap, ...]


_kept: Kept[EditBasis] = Kept(PERIODS_KEPT)
_drafts: Kept[DraftState] = Kept(DRAFTS_KEPT)
_published: Kept[tuple[Assignment, ...]] = Kept(PERIODS_KEPT)


def _stamp(session: Session, period_id: int) -> tuple:
    """The period's stamp as committed now (a query of its own, not the identity map)."""
    row = session.execute(
        select(m.PlanningPeriod.imported_at, m.PlanningPeriod.data_hash).where(
            m.PlanningPeriod.id == period_id
        )
    ).one()
    return (period_id, row.imported_at, row.data_hash)


def edit_basis(session: Session, period_id: int) -> EditBasis:
    """The period's scenario, requirements, solver problem and kept reasons, as the
    database has them now."""
    stamp = _stamp(session, period_id)
    period = session.get(m.PlanningPeriod, period_id)
    history, link = period_history(session, period)
    source = link.version_id if link is not None else None
    preferences = load_preferences(session, period_id)
    found = _kept.get(stamp)
    if (
        found is not None
        and found.history_version_id == source
        and found.scenario.history == history
        and found.scenario.preferences == preferences
    ):
        return found
    scenario = replace(
        load_period_scenario(session, period_id), history=history, preferences=preferences
    )
    made = EditBasis(stamp, scenario, prepare(scenario), source)
    if _stamp(session, period_id) == stamp:
        _kept.put(stamp, made)
    return made


WARM_PERIODS = 2
"""Periods whose basis a planners' server process makes at start (``warm``)."""


def warm(sessions: sessionmaker[Session], periods: int = WARM_PERIODS) -> list[int]:
    """Make and keep the basis of the ``periods`` periods whose drafts were made last,
    so the first edit a new process serves does not wait for it (~0.5 s of CPU for a
    200-agent period); returns their ids. Read-only: nothing is written."""
    with sessions() as session:
        newest = func.max(m.RosterVersion.created_at)
        found = list(
            session.scalars(
                select(m.RosterVersion.period_id)
                .where(m.RosterVersion.state == "draft")
                .group_by(m.RosterVersion.period_id)
                .order_by(newest.desc(), m.RosterVersion.period_id.desc())
                .limit(periods)
            )
        )
        for period_id in found:
            edit_basis(session, period_id)
            session.rollback()  # each read sees the database as of now
    return found


def figures_current(session: Session, version: m.RosterVersion) -> bool:
    """Whether a version's coverage and gaps were computed from its period's data as
    stored now (its ``data_hash`` and history source): else an incremental rebuild
    from them would keep what the older data explained (``rebuild_roster`` instead)."""
    period = session.get(m.PlanningPeriod, version.period_id)
    link = period_history(session, period)[1]
    source = link.version_id if link is not None else None
    stamp = _stamp(session, version.period_id)
    return (version.data_hash, version.history_version_id) == (stamp[2], source)


def draft_key(version: m.RosterVersion, basis: EditBasis) -> tuple:
    """What a version's state is kept under: its id, creation time and optimistic
    counter as read in this transaction, and the period's stamp."""
    return (version.id, version.created_at, version.version_id, basis.stamp)


def kept_draft(key: tuple) -> DraftState | None:
    return _drafts.get(key)


def keep_draft(key: tuple, state: DraftState) -> None:
    """Keep a version's state under ``key``: call it only once the transaction that
    wrote that state (and moved the counter to the one in ``key``) has committed."""
    _drafts.put(key, state)


def published_shifts(
    session: Session, version: m.RosterVersion, basis: EditBasis
) -> tuple[Assignment, ...]:
    """The shifts of a published version (a draft's parent: what ``changes`` counts
    against), kept under its id, creation time and counter as read now."""
    key = (version.id, version.created_at, version.version_id, basis.stamp)
    found = _published.get(key)
    if found is None:
        found = load_roster(session, version.id, coverage=False).assignments
        _published.put(key, found)
    return found


def forget(drafts: bool = False) -> None:
    """Drop everything kept, or only the drafts' states (to measure a first edit)."""
    if not drafts:
        _kept.clear()
        _published.clear()
    _drafts.clear()
