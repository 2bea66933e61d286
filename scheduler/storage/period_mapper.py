"""The period mapper: a domain ``Scenario`` into a planning period and back, exactly.

``from_domain`` stores a ``Scenario`` as a planning period (new, or a re-import
updating sites and agents by their code); ``to_domain`` rebuilds the identical
``Scenario`` (with the previous period's published roster as its history when the
period follows one). Nothing here commits: every function runs inside the caller's
transaction; if one raises, the caller must roll back (``unit_of_work`` does).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, replace
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from scheduler.domain import (
    Agent,
    Coverage,
    EmailService,
    ForecastRow,
    Horizon,
    Markets,
    QueueService,
    RequiredRow,
    Rules,
    Scenario,
    ShiftTemplate,
    Site,
    Staffing,
    TimeOff,
)
from scheduler.storage import models as m
from scheduler.storage.chain import period_history
from scheduler.storage.mapping import StoreError, bulk_insert, period_row
from scheduler.storage.markets_json import markets_from_json, markets_to_json
from scheduler.storage.preference_store import load_preferences, store_file_preferences

# --- scenario -> period --------------------------------------------------------------------


def from_domain(
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
        period = period_row(session, period_id)
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
    history, which follows the previous period: ``history_version_id`` tracks that;
    nor agents' preferences, which never make a roster wrong)."""
    own = replace(scenario, name="", source="", history=())
    text = repr(own)
    extension = (own.messaging, own.markets)
    if extension != (EmailService(), Markets()):  # a v1.1 scenario keeps the hash it had
        text += repr(extension)
    return hashlib.sha256(text.encode()).hexdigest()


def refresh_data_hash(session: Session, period: m.PlanningPeriod) -> str:
    """Set and return the period's ``data_hash`` from what is stored now (after an
    import or a recorded absence); the caller has flushed the change."""
    period.data_hash = scenario_hash(to_domain(session, period.id))
    return period.data_hash


def _refuse_taken_name(session: Session, name: str, own_id: int | None) -> None:
    taken = session.scalar(select(m.PlanningPeriod.id).where(m.PlanningPeriod.name == name))
    if taken is not None and taken != own_id:
        raise StoreError(f"a planning period named {name!r} already exists (id {taken})")


def _set_settings(period: m.PlanningPeriod, scenario: Scenario) -> None:
    period.scenario_name = scenario.name
    period.source = scenario.source
    period.horizon_start = scenario.horizon.start
    period.horizon_days = scenario.horizon.days
    period.interval_minutes = scenario.horizon.interval_minutes
    period.phone = asdict(scenario.phone)
    period.chat = asdict(scenario.chat)
    period.email = asdict(scenario.email)
    period.messaging = asdict(scenario.messaging)
    period.markets = markets_to_json(scenario.markets)
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
    row.max_start_time_spread_hours = rules.max_start_time_spread_hours


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
        row.time_off = [t for t in row.time_off if t.origin != "file"] + [
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
    store_file_preferences(session, period, scenario.preferences)
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


# --- period -> scenario --------------------------------------------------------------------


def to_domain(session: Session, period_id: int, demand: bool = True) -> Scenario:
    """The domain ``Scenario`` of a period (active sites and agents, in file order),
    with the last days of the previous period's published roster as its history
    when the period follows one (``scheduler.storage.chain``).

    ``demand=False`` leaves out the forecast and required rows (thousands per period):
    what an agent's page or calendar needs is sites, agents and time off."""
    period = period_row(session, period_id)
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
        messaging=EmailService(**period.messaging) if period.messaging else EmailService(),
        markets=markets_from_json(period.markets),
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
        preferences=load_preferences(session, period_id),
        source=period.source,
    )


def _rules(row: m.RulesColumns) -> Rules:
    return Rules(
        min_rest_hours=row.min_rest_hours,
        max_consecutive_days=row.max_consecutive_days,
        min_days_off_per_week=row.min_days_off_per_week,
        work_on_public_holidays=row.work_on_public_holidays,
        max_start_time_spread_hours=row.max_start_time_spread_hours,
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
    recorded in the app (or approved from a request) in the order they were recorded."""
    rows = session.execute(
        select(m.Agent.code, m.TimeOff.start_date, m.TimeOff.end_date, m.TimeOff.reason)
        .join(m.Agent)
        .where(m.Agent.period_id == period_id, m.Agent.active)
        .order_by(m.TimeOff.origin != "file", m.TimeOff.position, m.TimeOff.id)
    )
    return tuple(TimeOff(*row) for row in rows)
