"""The roster mapper: a domain ``Roster`` (with its gaps) into a roster version and back.

``from_domain`` stores a roster as the period's next draft ``RosterVersion``;
``replace_results`` swaps a version's coverage, gaps and summary after a hand
edit; ``to_domain`` rebuilds the roster with local times shown in each site's
zone; ``load_gaps`` the gaps. Nothing here commits (see the period mapper).
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta
from functools import cache
from types import EllipsisType

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from calendars.zones import to_local
from scheduler.domain import (
    Assignment,
    CoverageRow,
    Horizon,
    Roster,
)
from scheduler.gaps import Gap
from scheduler.storage import models as m
from scheduler.storage.chain import period_history
from scheduler.storage.mapping import NotFound, StoreError, bulk_insert, period_row

# --- rosters -------------------------------------------------------------------------------


def from_domain(
    session: Session,
    period_id: int,
    roster: Roster,
    gaps: Iterable[Gap] = (),
    created_by: m.User | None = None,
    parent: m.RosterVersion | None = None,
    locked: Collection[tuple[str, date]] = (),
    data_hash: str | None = None,
    history_version_id: int | None | EllipsisType = ...,
) -> m.RosterVersion:
    """Store ``roster`` (with its gaps) as the period's next version, in state draft.

    ``locked`` names (agent code, local date) shifts a planner pinned.
    ``data_hash`` is the period's ``data_hash`` the roster's figures were computed
    from (default: the period's current one), ``history_version_id`` the previous
    period's version its history came from (default: the one the period follows now). Every
    assignment must name an agent and site of the period, and every coverage row
    must sit on the period's interval grid; otherwise ``StoreError`` lists them
    all. A version's ``number`` is its id, so the same number names it on every
    page, URL, file name and API answer.
    """
    period = period_row(session, period_id)
    agent_ids = _ids_by_code(session, m.Agent, period_id)
    site_ids = _ids_by_code(session, m.Site, period_id)
    _refuse_unknown_codes(roster, agent_ids, site_ids)
    series = _coverage_series(period, roster.coverage)
    version = m.RosterVersion(
        period_id=period_id,
        number=-1 - secrets.randbelow(2**31),  # a placeholder until the id is known
        state="draft",
        created_by=created_by,
        parent=parent,
        summary=roster.summary,
        data_hash=period.data_hash if data_hash is None else data_hash,
        history_version_id=(
            _history_source(session, period) if history_version_id is ... else history_version_id
        ),
    )
    session.add(version)
    session.flush()
    # one number everywhere (pages, URLs, files, API): the id, written without moving
    # the optimistic counter of a version nobody has read yet
    session.execute(
        update(m.RosterVersion).where(m.RosterVersion.id == version.id).values(number=version.id)
    )
    set_committed_value(version, "number", version.id)
    pinned = set(locked)
    bulk_insert(
        session,
        m.Assignment,
        (
            {
                "roster_version_id": version.id,
                "agent_id": agent_ids[a.agent_id],
                "site_id": site_ids[a.site_id],
                "local_date": a.date,
                "shift_code": a.shift_id,
                "start_utc": a.start_utc,
                "end_utc": a.end_utc,
                "locked": (a.agent_id, a.date) in pinned,
            }
            for a in roster.assignments
        ),
    )
    bulk_insert(
        session,
        m.CoverageSeries,
        ({"roster_version_id": version.id, **one} for one in series),
    )
    bulk_insert(session, m.GapRow, _gap_rows(version.id, gaps))
    return version


def replace_results(
    session: Session,
    version_id: int,
    roster: Roster,
    gaps: Iterable[Gap],
    languages: Collection[str] | None = None,
) -> m.RosterVersion:
    """Replace a version's coverage, gaps and summary by ``roster``'s and ``gaps``
    (after a hand edit changed its shifts); the assignments are the caller's.
    ``languages``: only these languages' coverage changed (the others are stored
    as they are in ``roster``), so only their series are written again.

    Coverage rows off the period's grid raise ``StoreError`` before anything is
    deleted. The summary is reassigned, so the version's optimistic counter moves.
    """
    version = session.get(m.RosterVersion, version_id)
    if version is None:
        raise NotFound(f"no roster version with id {version_id}")
    rows = roster.coverage
    only = []
    if languages is not None:
        rows = [row for row in rows if row.language in languages]
        only = [m.CoverageSeries.language.in_(sorted(languages))]
    series = _coverage_series(version.period, rows)
    session.execute(
        delete(m.CoverageSeries).where(m.CoverageSeries.roster_version_id == version_id, *only)
    )
    session.execute(delete(m.GapRow).where(m.GapRow.roster_version_id == version_id))
    bulk_insert(
        session,
        m.CoverageSeries,
        ({"roster_version_id": version_id, **one} for one in series),
    )
    bulk_insert(session, m.GapRow, _gap_rows(version_id, gaps))
    version.summary = roster.summary
    version.data_hash = version.period.data_hash  # recomputed from the period's data now
    version.history_version_id = _history_source(session, version.period)
    return version


def _history_source(session: Session, period: m.PlanningPeriod) -> int | None:
    """The version the period's history comes from now (None: no history)."""
    link = period_history(session, period)[1]
    return link.version_id if link is not None else None


def _gap_rows(version_id: int, gaps: Iterable[Gap]) -> Iterable[dict]:
    for position, gap in enumerate(gaps):
        yield {
            "roster_version_id": version_id,
            "position": position,
            "language": gap.language,
            "start_utc": gap.start_utc,
            "end_utc": gap.end_utc,
            "local_zone": gap.local_zone,
            "intervals": gap.intervals,
            "missing_agent_intervals": gap.missing_agent_intervals,
            "max_missing": gap.max_missing,
            "unavoidable_agent_intervals": gap.unavoidable_agent_intervals,
            "kind": gap.kind,
            "reason": gap.reason,
            "details": gap.details,
        }


def _ids_by_code(session: Session, model: type[m.Agent | m.Site], period_id: int) -> dict:
    query = select(model.code, model.id).where(model.period_id == period_id)
    return {code: row_id for code, row_id in session.execute(query)}


def _refuse_unknown_codes(
    roster: Roster, agent_ids: dict[str, int], site_ids: dict[str, int]
) -> None:
    agents = sorted({a.agent_id for a in roster.assignments} - agent_ids.keys())
    sites = sorted({a.site_id for a in roster.assignments} - site_ids.keys())
    problems = []
    if agents:
        problems.append(f"agents not in the period: {', '.join(agents)}")
    if sites:
        problems.append(f"sites not in the period: {', '.join(sites)}")
    if problems:
        raise StoreError("roster not saved: " + "; ".join(problems))


def _coverage_series(period: m.PlanningPeriod, rows: Iterable[CoverageRow]) -> list[dict]:
    """Coverage rows as one required and one staffed array per language."""
    horizon = Horizon(period.horizon_start, period.horizon_days, period.interval_minutes)
    count = horizon.interval_count
    required: dict[str, list[int | None]] = {}
    staffed: dict[str, list[int | None]] = {}
    problems = []
    step = horizon.interval
    grid = {horizon.start_utc + index * step: index for index in range(count)}
    for row in rows:
        index = grid.get(row.interval_start_utc)
        if index is None:
            problems.append(f"{row.interval_start_utc.isoformat()} is off the period's grid")
            continue
        needed = required.setdefault(row.language, [None] * count)
        served = staffed.setdefault(row.language, [None] * count)
        if needed[index] is not None:
            problems.append(f"{row.interval_start_utc.isoformat()} {row.language} repeats")
            continue
        needed[index], served[index] = row.required, row.staffed
    if problems:
        shown = "; ".join(problems[:10])
        raise StoreError(f"coverage not saved ({len(problems)} bad rows): {shown}")
    return [
        {
            "language": language,
            "first_interval_utc": horizon.start_utc,
            "interval_minutes": horizon.interval_minutes,
            "required": required[language],
            "staffed": staffed[language],
        }
        for language in sorted(required)
    ]


def to_domain(
    session: Session, version_id: int, agent_code: str | None = None, coverage: bool = True
) -> Roster:
    """The domain ``Roster`` of a version, ordered as roster.csv and coverage.csv are
    (assignments by agent, start, shift; coverage by interval, language), with
    local times in each site's zone and their offset at that instant.

    ``agent_code`` keeps only that agent's shifts and ``coverage=False`` leaves the
    coverage out: an agent's calendar needs neither the others nor the coverage."""
    version = session.get(m.RosterVersion, version_id)
    if version is None:
        raise NotFound(f"no roster version with id {version_id}")
    only = [m.Agent.code == agent_code] if agent_code is not None else []
    rows = session.execute(
        select(
            m.Agent.code,
            m.Site.code,
            m.Site.timezone,
            m.Assignment.local_date,
            m.Assignment.shift_code,
            m.Assignment.start_utc,
            m.Assignment.end_utc,
        )
        .join(m.Agent, m.Assignment.agent_id == m.Agent.id)
        .join(m.Site, m.Assignment.site_id == m.Site.id)
        .where(m.Assignment.roster_version_id == version_id, *only)
    )
    local = cache(to_local)  # thousands of shifts share a few hundred (instant, zone) pairs
    assignments = sorted(
        (
            Assignment(
                agent_id=agent,
                site_id=site,
                date=day,
                shift_id=shift,
                start_utc=start,
                end_utc=end,
                start_local=local(start, zone),
                end_local=local(end, zone),
            )
            for agent, site, zone, day, shift, start, end in rows
        ),
        key=lambda a: (a.agent_id, a.start_utc, a.shift_id),
    )
    return Roster(
        assignments=tuple(assignments),
        coverage=_coverage_rows(session, version_id) if coverage else (),
        summary=version.summary,
    )


def _coverage_rows(session: Session, version_id: int) -> tuple[CoverageRow, ...]:
    """Coverage rows by interval, then language."""
    every = sorted(
        session.scalars(select(m.CoverageSeries).filter_by(roster_version_id=version_id)),
        key=lambda series: series.language,
    )
    grids = {(s.first_interval_utc, s.interval_minutes, len(s.required)) for s in every}
    if len(grids) == 1:  # one grid (always, for a version stored here): already in order
        start, minutes, count = grids.pop()
        step = timedelta(minutes=minutes)
        found = []
        for index in range(count):
            instant = start + index * step
            for series in every:
                needed = series.required[index]
                if needed is not None:
                    found.append(
                        CoverageRow(instant, series.language, needed, series.staffed[index])
                    )
        return tuple(found)
    found = []
    for series in every:
        step = timedelta(minutes=series.interval_minutes)
        start: datetime = series.first_interval_utc
        for index, (needed, served) in enumerate(zip(series.required, series.staffed, strict=True)):
            if needed is not None:
                found.append(CoverageRow(start + index * step, series.language, needed, served))
    found.sort(key=lambda row: (row.interval_start_utc, row.language))
    return tuple(found)


def load_gaps(session: Session, version_id: int) -> list[Gap]:
    """The gaps saved with a roster version, in the order they were given."""
    rows = session.scalars(
        select(m.GapRow).filter_by(roster_version_id=version_id).order_by(m.GapRow.position)
    )
    return [
        Gap(
            language=row.language,
            start_utc=row.start_utc,
            end_utc=row.end_utc,
            local_zone=row.local_zone,
            intervals=row.intervals,
            missing_agent_intervals=row.missing_agent_intervals,
            max_missing=row.max_missing,
            unavoidable_agent_intervals=row.unavoidable_agent_intervals,
            reason=row.reason,
            details=row.details,
        )
        for row in rows
    ]
