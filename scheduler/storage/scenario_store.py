"""Domain scenarios and rosters into the database and back, exactly.

``import_scenario`` stores a ``Scenario`` as a planning period (new, or a
re-import updating sites and agents by their code); ``load_period_scenario``
rebuilds the identical ``Scenario``. ``save_roster`` stores a roster as a new
draft ``RosterVersion``; ``replace_roster_results`` swaps a version's coverage,
gaps and summary after a hand edit; ``load_roster`` rebuilds it with local times
shown in each site's zone.

Nothing here commits. Every function runs inside the caller's transaction: if
one raises, the caller must roll back (``unit_of_work`` does), and then nothing
of the import or save is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta
from functools import cache
from types import EllipsisType

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from calendars.zones import to_local
from scheduler.domain import (
    Agent,
    Assignment,
    Coverage,
    CoverageRow,
    EmailService,
    ForecastRow,
    Horizon,
    QueueService,
    RequiredRow,
    Roster,
    Rules,
    Scenario,
    ShiftTemplate,
    Site,
    Staffing,
    TimeOff,
)
from scheduler.gaps import Gap
from scheduler.storage import models as m
from scheduler.storage.chain import period_history

BULK_CHUNK = 10_000
"""Rows per bulk INSERT: big enough to be fast, small enough to bound memory."""


class NotFound(LookupError):
    """A period or roster version id that does not exist."""


class StoreError(ValueError):
    """Input the database would hold but must not: the message lists every problem."""


# --- scenario -> period --------------------------------------------------------------------


def import_scenario(
    session: Session,
    scenario: Scenario,
    period_name: str | None = None,
    period_id: int | None = None,
) -> m.PlanningPeriod:
    """Store ``scenario`` as a new planning period, or re-import it into ``period_id``.

    A re-import updates sites and agents by their code (row ids, and so saved
    rosters, stay valid); sites and agents missing from the scenario are
    deactivated, not deleted, because saved rosters refer to them. Shift
    templates, agents' languages, time off from the files (origin ``file``),
    forecast and required rows are replaced; time off recorded in the app
    (origin ``app``) is kept. ``period_name`` names a new period (default: the scenario's name)
    or renames the re-imported one.
    """
    if period_id is None:
        period = m.PlanningPeriod(name=period_name or scenario.name)
        _refuse_taken_name(session, period.name, None)
        session.add(period)
    else:
        period = _period(session, period_id)
        if period_name:
            _refuse_taken_name(session, period_name, period_id)
            period.name = period_name
        period.imported_at = m.utc_now()
    _set_settings(period, scenario)
    session.flush()
    sites = _store_sites(session, period, scenario.sites)
    _store_agents(session, period, scenario, sites)
    _replace_demand(session, period.id, scenario)
    session.flush()
    refresh_data_hash(session, period)
    return period


def scenario_hash(scenario: Scenario) -> str:
    """sha256 of everything a solve reads from a period's own data (not its name or
    source: the same files imported from another folder are the same data; nor its
    history, which follows the previous period: ``history_version_id`` tracks that)."""
    own = replace(scenario, name="", source="", history=())
    return hashlib.sha256(repr(own).encode()).hexdigest()


def refresh_data_hash(session: Session, period: m.PlanningPeriod) -> str:
    """Set and return the period's ``data_hash`` from what is stored now (after an
    import or a recorded absence); the caller has flushed the change."""
    period.data_hash = scenario_hash(load_period_scenario(session, period.id))
    return period.data_hash


def _refuse_taken_name(session: Session, name: str, own_id: int | None) -> None:
    taken = session.scalar(select(m.PlanningPeriod.id).where(m.PlanningPeriod.name == name))
    if taken is not None and taken != own_id:
        raise StoreError(f"a planning period named {name!r} already exists (id {taken})")


def _period(session: Session, period_id: int) -> m.PlanningPeriod:
    period = session.get(m.PlanningPeriod, period_id)
    if period is None:
        raise NotFound(f"no planning period with id {period_id}")
    return period


def _set_settings(period: m.PlanningPeriod, scenario: Scenario) -> None:
    period.scenario_name = scenario.name
    period.source = scenario.source
    period.horizon_start = scenario.horizon.start
    period.horizon_days = scenario.horizon.days
    period.interval_minutes = scenario.horizon.interval_minutes
    period.phone = asdict(scenario.phone)
    period.chat = asdict(scenario.chat)
    period.email = asdict(scenario.email)
    period.staffing = asdict(scenario.staffing)
    period.coverage = {
        "always_on": list(scenario.coverage.always_on),
        "min_agents": scenario.coverage.min_agents,
    }
    _set_rules(period, scenario.rules)
    period.has_forecast = scenario.forecast is not None
    period.has_required = scenario.required is not None


def _set_rules(row: m.RulesColumns, rules: Rules) -> None:
    row.min_rest_hours = rules.min_rest_hours
    row.max_consecutive_days = rules.max_consecutive_days
    row.min_days_off_per_week = rules.min_days_off_per_week
    row.work_on_public_holidays = rules.work_on_public_holidays


def _store_sites(
    session: Session, period: m.PlanningPeriod, sites: Iterable[Site]
) -> dict[str, m.Site]:
    query = select(m.Site).filter_by(period=period).options(selectinload(m.Site.shifts))
    existing = {row.code: row for row in session.scalars(query)}
    stored: dict[str, m.Site] = {}
    for position, site in enumerate(sites):
        row = existing.pop(site.id, None)
        if row is None:
            row = m.Site(period=period, code=site.id)
            session.add(row)
        row.position = position
        row.name = site.name
        row.region = site.region
        row.country = site.country
        row.subdivision = site.subdivision
        row.timezone = site.timezone
        row.extra_holidays = [day.isoformat() for day in site.extra_holidays]
        row.active = True
        _set_rules(row, site.rules)
        _store_shifts(session, row, site.shifts)
        stored[site.id] = row
    for gone in existing.values():
        gone.active = False
    return stored


def _store_shifts(session: Session, site: m.Site, shifts: Iterable[ShiftTemplate]) -> None:
    """Update templates in place by code (a delete and insert of the same code in one
    flush would break the unique constraint: SQLAlchemy inserts before it deletes)."""
    existing = {row.code: row for row in site.shifts}
    kept = []
    for position, shift in enumerate(shifts):
        row = existing.pop(shift.id, None) or m.ShiftTemplate(code=shift.id)
        row.position, row.start, row.hours = position, shift.start, shift.hours
        kept.append(row)
    for gone in existing.values():
        session.delete(gone)
    site.shifts = kept


def _store_agents(
    session: Session, period: m.PlanningPeriod, scenario: Scenario, sites: dict[str, m.Site]
) -> None:
    query = (
        select(m.Agent)
        .filter_by(period=period)
        .options(selectinload(m.Agent.languages), selectinload(m.Agent.time_off))
    )
    existing = {row.code: row for row in session.scalars(query)}
    absences: dict[str, list[tuple[int, TimeOff]]] = defaultdict(list)
    for position, absence in enumerate(scenario.time_off):
        absences[absence.agent_id].append((position, absence))
    for position, agent in enumerate(scenario.agents):
        row = existing.pop(agent.id, None)
        if row is None:
            row = m.Agent(period=period, code=agent.id)
            session.add(row)
        row.position = position
        row.name = agent.name
        row.site = sites[agent.site_id]
        row.email = agent.email
        row.employee_number = agent.employee_number
        row.hours_per_week = agent.hours_per_week
        row.shift_codes = list(agent.shift_ids)
        row.active = True
        _store_languages(session, row, agent.languages)
        row.time_off = [t for t in row.time_off if t.origin == "app"] + [
            m.TimeOff(
                position=p,
                start_date=t.start_date,
                end_date=t.end_date,
                reason=t.reason,
                origin="file",
            )
            for p, t in absences.pop(agent.id, [])
        ]
    if absences:
        unknown = ", ".join(sorted(absences))
        raise StoreError(f"time off for agents not in the scenario: {unknown}")
    for gone in existing.values():
        gone.active = False


def _store_languages(session: Session, agent: m.Agent, languages: Iterable[str]) -> None:
    existing = {row.code: row for row in agent.languages}
    kept = []
    for position, code in enumerate(languages):
        row = existing.pop(code, None) or m.AgentLanguage(code=code)
        row.position = position
        kept.append(row)
    for gone in existing.values():
        session.delete(gone)
    agent.languages = kept


def _replace_demand(session: Session, period_id: int, scenario: Scenario) -> None:
    session.execute(delete(m.ForecastRow).where(m.ForecastRow.period_id == period_id))
    session.execute(delete(m.RequiredRow).where(m.RequiredRow.period_id == period_id))
    forecast = (
        {
            "period_id": period_id,
            "position": position,
            "interval_start_utc": row.interval_start_utc,
            "language": row.language,
            "channel": row.channel,
            "volume": row.volume,
            "aht_seconds": row.aht_seconds,
        }
        for position, row in enumerate(scenario.forecast or ())
    )
    bulk_insert(session, m.ForecastRow, forecast)
    required = (
        {
            "period_id": period_id,
            "position": position,
            "interval_start_utc": row.interval_start_utc,
            "language": row.language,
            "required": row.required,
        }
        for position, row in enumerate(scenario.required or ())
    )
    bulk_insert(session, m.RequiredRow, required)


def bulk_insert(session: Session, model: type[m.Base], rows: Iterable[dict]) -> int:
    """INSERT many rows in chunks through the ORM bulk path; returns how many."""
    count = 0
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BULK_CHUNK:
            session.execute(insert(model), chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        session.execute(insert(model), chunk)
        count += len(chunk)
    return count


# --- period -> scenario --------------------------------------------------------------------


def load_period_scenario(session: Session, period_id: int, demand: bool = True) -> Scenario:
    """The domain ``Scenario`` of a period (active sites and agents, in file order),
    with the last days of the previous period's published roster as its history
    when the period follows one (``scheduler.storage.chain``).

    ``demand=False`` leaves out the forecast and required rows (thousands per period):
    what an agent's page or calendar needs is sites, agents and time off."""
    period = _period(session, period_id)
    sites = _load_sites(session, period_id)
    agents = _load_agents(session, period_id)
    forecast = required = None
    if period.has_forecast and demand:
        forecast = tuple(
            ForecastRow(*row)
            for row in session.execute(
                select(
                    m.ForecastRow.interval_start_utc,
                    m.ForecastRow.language,
                    m.ForecastRow.channel,
                    m.ForecastRow.volume,
                    m.ForecastRow.aht_seconds,
                )
                .where(m.ForecastRow.period_id == period_id)
                .order_by(m.ForecastRow.position)
            )
        )
    if period.has_required and demand:
        required = tuple(
            RequiredRow(*row)
            for row in session.execute(
                select(
                    m.RequiredRow.interval_start_utc,
                    m.RequiredRow.language,
                    m.RequiredRow.required,
                )
                .where(m.RequiredRow.period_id == period_id)
                .order_by(m.RequiredRow.position)
            )
        )
    return Scenario(
        name=period.scenario_name,
        horizon=Horizon(period.horizon_start, period.horizon_days, period.interval_minutes),
        phone=QueueService(**period.phone),
        chat=QueueService(**period.chat),
        email=EmailService(**period.email),
        staffing=Staffing(**period.staffing),
        coverage=Coverage(
            always_on=tuple(period.coverage["always_on"]),
            min_agents=period.coverage["min_agents"],
        ),
        rules=_rules(period),
        sites=sites,
        agents=agents,
        time_off=_load_time_off(session, period_id),
        forecast=forecast,
        required=required,
        history=period_history(session, period)[0],
        source=period.source,
    )


def _rules(row: m.RulesColumns) -> Rules:
    return Rules(
        min_rest_hours=row.min_rest_hours,
        max_consecutive_days=row.max_consecutive_days,
        min_days_off_per_week=row.min_days_off_per_week,
        work_on_public_holidays=row.work_on_public_holidays,
    )


def _load_sites(session: Session, period_id: int) -> tuple[Site, ...]:
    rows = session.scalars(
        select(m.Site).filter_by(period_id=period_id, active=True).order_by(m.Site.position)
    ).all()
    shifts: dict[int, list[ShiftTemplate]] = defaultdict(list)
    for site_id, code, start, hours in session.execute(
        select(
            m.ShiftTemplate.site_id,
            m.ShiftTemplate.code,
            m.ShiftTemplate.start,
            m.ShiftTemplate.hours,
        )
        .join(m.Site)
        .where(m.Site.period_id == period_id)
        .order_by(m.ShiftTemplate.site_id, m.ShiftTemplate.position)
    ):
        shifts[site_id].append(ShiftTemplate(code, start, hours))
    return tuple(
        Site(
            id=row.code,
            name=row.name,
            region=row.region,
            country=row.country,
            subdivision=row.subdivision,
            timezone=row.timezone,
            shifts=tuple(shifts[row.id]),
            rules=_rules(row),
            extra_holidays=tuple(date.fromisoformat(day) for day in row.extra_holidays),
        )
        for row in rows
    )


def _load_agents(session: Session, period_id: int) -> tuple[Agent, ...]:
    languages: dict[int, list[str]] = defaultdict(list)
    for agent_id, code in session.execute(
        select(m.AgentLanguage.agent_id, m.AgentLanguage.code)
        .join(m.Agent)
        .where(m.Agent.period_id == period_id, m.Agent.active)
        .order_by(m.AgentLanguage.agent_id, m.AgentLanguage.position)
    ):
        languages[agent_id].append(code)
    rows = session.execute(
        select(
            m.Agent.id,
            m.Agent.code,
            m.Agent.name,
            m.Site.code,
            m.Agent.hours_per_week,
            m.Agent.shift_codes,
            m.Agent.email,
            m.Agent.employee_number,
        )
        .join(m.Site, m.Agent.site_id == m.Site.id)
        .where(m.Agent.period_id == period_id, m.Agent.active)
        .order_by(m.Agent.position)
    )
    return tuple(
        Agent(
            id=code,
            name=name,
            site_id=site_code,
            languages=tuple(languages[row_id]),
            hours_per_week=hours,
            shift_ids=tuple(shift_codes),
            email=email,
            employee_number=number,
        )
        for row_id, code, name, site_code, hours, shift_codes, email, number in rows
    )


def _load_time_off(session: Session, period_id: int) -> tuple[TimeOff, ...]:
    """Time off of active agents: time_off.csv's rows in file order, then those
    recorded in the app in the order they were recorded."""
    rows = session.execute(
        select(m.Agent.code, m.TimeOff.start_date, m.TimeOff.end_date, m.TimeOff.reason)
        .join(m.Agent)
        .where(m.Agent.period_id == period_id, m.Agent.active)
        .order_by(m.TimeOff.origin.desc(), m.TimeOff.position, m.TimeOff.id)
    )
    return tuple(TimeOff(*row) for row in rows)


# --- rosters -------------------------------------------------------------------------------


def save_roster(
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
    period = _period(session, period_id)
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


def replace_roster_results(
    session: Session, version_id: int, roster: Roster, gaps: Iterable[Gap]
) -> m.RosterVersion:
    """Replace a version's coverage, gaps and summary by ``roster``'s and ``gaps``
    (after a hand edit changed its shifts); the assignments are the caller's.

    Coverage rows off the period's grid raise ``StoreError`` before anything is
    deleted. The summary is reassigned, so the version's optimistic counter moves.
    """
    version = session.get(m.RosterVersion, version_id)
    if version is None:
        raise NotFound(f"no roster version with id {version_id}")
    series = _coverage_series(version.period, roster.coverage)
    session.execute(
        delete(m.CoverageSeries).where(m.CoverageSeries.roster_version_id == version_id)
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
    for row in rows:
        offset = row.interval_start_utc - horizon.start_utc
        index, rest = divmod(offset, horizon.interval)
        if rest or not 0 <= index < count:
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


def load_roster(
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
    found = []
    for series in session.scalars(select(m.CoverageSeries).filter_by(roster_version_id=version_id)):
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
