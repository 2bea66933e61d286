"""The database schema as SQLAlchemy 2.0 typed models (single tenant).

A ``PlanningPeriod`` holds one imported scenario: its settings, sites with their
shift templates, agents with languages and time off, and the forecast or
required rows. Solved rosters are ``RosterVersion`` rows of a period, with their
assignments, per-language coverage series and gaps. ``SolveJob`` is the queue the
solve workers take from; ``User`` and ``AuditEntry`` are who did what.

Rows are storage only: ``scheduler.storage.scenario_store`` turns them into the
frozen domain objects of ``scheduler.domain`` and back. ``position`` columns keep
the order of the source files, so a period rebuilds exactly the scenario that
was imported. Instants are ``UTCDateTime`` (aware UTC in, aware UTC out).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from scheduler.domain import FORECAST_CHANNELS
from scheduler.storage.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Stable constraint names, so migrations can alter and drop them on every backend."""

JSONDoc = JSON()
"""Plain JSON, also on PostgreSQL: JSONB would reorder keys, and summary.json's order
is part of what a planner reads (nothing queries inside these documents)."""

ROLES = ("planner", "agent", "hr", "admin")
ROSTER_STATES = ("draft", "published", "superseded")
JOB_STATES = ("queued", "running", "succeeded", "failed", "cancelled")
JOB_FINAL_STATES = ("succeeded", "failed", "cancelled")
TIME_OFF_ORIGINS = ("file", "app", "request")


def utc_now() -> datetime:
    return datetime.now(UTC)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONDoc, list[Any]: JSONDoc}


class RulesColumns:
    """Labor rules as typed columns: a period's defaults or a site's merged values."""

    min_rest_hours: Mapped[float] = mapped_column(Float)
    max_consecutive_days: Mapped[int] = mapped_column(Integer)
    min_days_off_per_week: Mapped[int] = mapped_column(Integer)
    work_on_public_holidays: Mapped[bool] = mapped_column(Boolean)
    max_start_time_spread_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    """The optional rule bounding how far start times move within a week (None: none)."""


# --- scenario ------------------------------------------------------------------------------


class PlanningPeriod(RulesColumns, Base):
    """One scenario imported for planning: horizon, service targets and default rules.

    Service settings are JSON documents shaped like the dataclasses of
    ``scheduler.domain`` (``QueueService``, ``EmailService``, ``Staffing``,
    ``Coverage``); the rule defaults are typed columns.
    """

    __tablename__ = "planning_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    scenario_name: Mapped[str] = mapped_column(String(200))
    """The ``name`` in scenario.toml (the period's own name may differ)."""
    source: Mapped[str] = mapped_column(Text, default="")
    horizon_start: Mapped[date] = mapped_column(Date)
    horizon_days: Mapped[int] = mapped_column(Integer)
    interval_minutes: Mapped[int] = mapped_column(Integer)
    phone: Mapped[dict[str, Any]]
    chat: Mapped[dict[str, Any]]
    email: Mapped[dict[str, Any]]
    staffing: Mapped[dict[str, Any]]
    coverage: Mapped[dict[str, Any]]
    messaging: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    """``[service.messaging]`` (extension beyond v1.1); null on periods imported before."""
    markets: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    """``[markets]`` (extension beyond v1.1) as ``scheduler.storage.markets_json`` writes it;
    null when the scenario has none."""
    has_forecast: Mapped[bool] = mapped_column(Boolean)
    has_required: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    imported_at: Mapped[datetime] = mapped_column(default=utc_now)
    max_shift_preferences: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    max_day_off_preferences: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    max_avoid_date_preferences: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    """How many wishes of each kind an agent may state for this period (the planner's)."""
    data_hash: Mapped[str | None] = mapped_column(String(64))
    """sha256 of the period's ``Scenario`` as solves read it (settings, sites, agents,
    time off of both origins, demand); changes with every import or recorded absence."""

    sites: Mapped[list[Site]] = relationship(
        back_populates="period", order_by="Site.position", cascade="all, delete-orphan"
    )
    agents: Mapped[list[Agent]] = relationship(
        back_populates="period", order_by="Agent.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("interval_minutes IN (15, 30, 60)", name="interval_minutes"),
        CheckConstraint("horizon_days > 0", name="horizon_days"),
    )


class Site(RulesColumns, Base):
    """A site of a period; rule columns hold the site's overrides merged over the defaults."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("planning_periods.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64))
    """The site's id in scenario.toml; unique within the period."""
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(8))
    country: Mapped[str] = mapped_column(String(2))
    subdivision: Mapped[str] = mapped_column(String(16), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    extra_holidays: Mapped[list[Any]] = mapped_column(default=list)
    """ISO dates (``"2027-06-09"``) the site closes beyond its public holidays."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    """False once a re-import no longer lists the site (kept for old rosters)."""

    period: Mapped[PlanningPeriod] = relationship(back_populates="sites")
    shifts: Mapped[list[ShiftTemplate]] = relationship(
        back_populates="site", order_by="ShiftTemplate.position", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("period_id", "code"),)


class ShiftTemplate(Base):
    __tablename__ = "shift_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[time] = mapped_column(Time)
    """Local wall-clock start (HH:MM) at the site."""
    hours: Mapped[float] = mapped_column(Float)
    """Real elapsed hours (a shift over a DST change keeps its length)."""

    site: Mapped[Site] = relationship(back_populates="shifts")

    __table_args__ = (
        UniqueConstraint("site_id", "code"),
        CheckConstraint("hours > 0", name="hours"),
    )


class Agent(Base):
    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("planning_periods.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64))
    """The agent's id in agents.csv; unique within the period, stable across periods."""
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), default="")
    employee_number: Mapped[str] = mapped_column(String(64), default="", server_default="")
    """Payroll's number for the agent, when agents.csv has the column."""
    hours_per_week: Mapped[float] = mapped_column(Float)
    shift_codes: Mapped[list[Any]] = mapped_column()
    """Shift codes of the agent's site he may work, already resolved (never empty)."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    """False once a re-import no longer lists the agent (kept for old rosters)."""

    period: Mapped[PlanningPeriod] = relationship(back_populates="agents")
    site: Mapped[Site] = relationship()
    languages: Mapped[list[AgentLanguage]] = relationship(
        order_by="AgentLanguage.position", cascade="all, delete-orphan"
    )
    time_off: Mapped[list[TimeOff]] = relationship(
        order_by="TimeOff.position", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("period_id", "code"),)


class AgentLanguage(Base):
    __tablename__ = "agent_languages"

    agent_id: Mapped[int] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class TimeOff(Base):
    __tablename__ = "time_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    """Order within the period's time_off.csv."""
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(8), default="file", server_default="file")
    """``file`` (time_off.csv: a re-import replaces it), ``app`` (recorded by a
    planner) or ``request`` (an agent's request a planner approved): a re-import
    keeps the last two."""

    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        CheckConstraint(_one_of("origin", TIME_OFF_ORIGINS), name="origin"),
    )


class ForecastRow(Base):
    __tablename__ = "forecast_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("planning_periods.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    interval_start_utc: Mapped[datetime] = mapped_column()
    language: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    volume: Mapped[float] = mapped_column(Float)
    aht_seconds: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        UniqueConstraint("period_id", "interval_start_utc", "language", "channel"),
        Index("ix_forecast_rows_period_position", "period_id", "position"),
        CheckConstraint(_one_of("channel", FORECAST_CHANNELS), name="channel"),
    )


class RequiredRow(Base):
    __tablename__ = "required_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("planning_periods.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    interval_start_utc: Mapped[datetime] = mapped_column()
    language: Mapped[str] = mapped_column(String(16))
    required: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("period_id", "interval_start_utc", "language"),
        Index("ix_required_rows_period_position", "period_id", "position"),
        CheckConstraint("required >= 0", name="required"),
    )


# --- people --------------------------------------------------------------------------------


class User(Base):
    """Someone who signs in. Secrets are stored only as hashes.

    ``agent_code`` links a user of role ``agent`` to his agent by code (agents.csv
    id), not by row: agent rows belong to one period, the person spans them all.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    """werkzeug.security hash; None for token-only (service) users."""
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    """sha256 hex of the API token; the token itself is shown once, never stored."""
    ical_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    agent_code: Mapped[str | None] = mapped_column(String(64), index=True)
    email: Mapped[str | None] = mapped_column(String(320))
    """The person's e-mail, lower case. An agent user with one sees a period's agent of
    his code only if agents.csv gives that agent this e-mail: two teams' files may
    both have an A0001, and one must never see the other's shifts."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    """False once deactivated: his sign-ins, sessions, API token and calendar link stop
    working at once (every lookup asks for an active user)."""
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    api_token_expires_at: Mapped[datetime | None] = mapped_column()
    """When the API token stops working; None: until it is replaced or revoked."""
    deactivated_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        CheckConstraint(_one_of("role", ROLES), name="role"),
        CheckConstraint("role <> 'agent' OR agent_code IS NOT NULL", name="agent_has_code"),
    )


class UserSession(Base):
    """A signed-in browser. The cookie holds a random id whose sha256 is stored here;
    each request checks the row still exists, so signing out (which deletes it),
    deactivating the user or resetting his password (which delete all of his) ends
    the session on the server: a copied cookie no longer works."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    """A verb phrase such as ``roster.publish`` or ``period.import``."""
    target_type: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (Index("ix_audit_entries_target", "target_type", "target_id"),)


# --- rosters -------------------------------------------------------------------------------


class RosterVersion(Base):
    """One solved (or edited) roster of a period.

    ``version_id`` is SQLAlchemy's optimistic lock: an UPDATE from a session that
    read an older version raises ``StaleDataError`` instead of overwriting. At
    most one version per period is ``published`` (a partial unique index).
    """

    __tablename__ = "roster_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("planning_periods.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    """The version's id (revision 0005): one number names it on every page, URL,
    file name, API answer and message."""
    state: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column()
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("roster_versions.id", ondelete="SET NULL")
    )
    """The version this one re-solved or edited, if any."""
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """The contract's summary.json."""
    data_hash: Mapped[str | None] = mapped_column(String(64))
    """The period's ``data_hash`` when this roster's figures were computed: another
    value now means the period's data changed since (the roster is stale)."""
    history_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("roster_versions.id", ondelete="SET NULL")
    )
    """The previous period's published version whose last days were this roster's
    history when its figures were computed (None: the period followed none)."""
    version_id: Mapped[int] = mapped_column(Integer)

    period: Mapped[PlanningPeriod] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    parent: Mapped[RosterVersion | None] = relationship(remote_side=[id], foreign_keys=[parent_id])

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        UniqueConstraint("period_id", "number"),
        CheckConstraint(_one_of("state", ROSTER_STATES), name="state"),
        Index(
            "uq_roster_versions_one_published",
            "period_id",
            unique=True,
            postgresql_where=text("state = 'published'"),
            sqlite_where=text("state = 'published'"),
        ),
    )


class PublishedDay(Base):
    """One agent (by code, as periods match agents) on one date of a period whose
    roster is published: the database's own guard against double rostering.

    A publish writes a row per active agent and horizon date of its period in the
    same transaction (after deleting the period's previous rows); the primary key
    (agent code, day) makes a second period's publish for the same agent and date
    fail on every backend, whichever transaction commits first."""

    __tablename__ = "published_days"

    agent_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("planning_periods.id", ondelete="CASCADE"), index=True
    )
    roster_version_id: Mapped[int] = mapped_column(
        ForeignKey("roster_versions.id", ondelete="CASCADE")
    )


class Assignment(Base):
    """One worked shift. Site and shift are kept as written, so re-imports never
    change a saved roster; local times are rebuilt from the site's zone."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_version_id: Mapped[int] = mapped_column(
        ForeignKey("roster_versions.id", ondelete="CASCADE")
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    local_date: Mapped[date] = mapped_column(Date)
    shift_code: Mapped[str] = mapped_column(String(64))
    start_utc: Mapped[datetime] = mapped_column()
    end_utc: Mapped[datetime] = mapped_column()
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    """A planner pinned this shift: a re-solve must keep it."""

    __table_args__ = (
        Index("ix_assignments_version_agent", "roster_version_id", "agent_id"),
        Index("ix_assignments_agent_start", "agent_id", "start_utc"),
        CheckConstraint("end_utc > start_utc", name="instants_in_order"),
    )


class CoverageSeries(Base):
    """Required and staffed agents of one language over the whole horizon.

    One row per (roster version, language) holding two integer arrays indexed by
    interval (``null`` where the roster has no row): an XL roster is 18 rows
    instead of 48,384, about 10x less space and 100x faster to write; a language's
    series is still selected alone.
    """

    __tablename__ = "coverage_series"

    roster_version_id: Mapped[int] = mapped_column(
        ForeignKey("roster_versions.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    first_interval_utc: Mapped[datetime] = mapped_column()
    interval_minutes: Mapped[int] = mapped_column(Integer)
    required: Mapped[list[Any]] = mapped_column()
    staffed: Mapped[list[Any]] = mapped_column()


class GapRow(Base):
    """A stretch of under-coverage (``scheduler.gaps.Gap``); local times derive from
    ``local_zone``."""

    __tablename__ = "gaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_version_id: Mapped[int] = mapped_column(
        ForeignKey("roster_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(16))
    start_utc: Mapped[datetime] = mapped_column()
    end_utc: Mapped[datetime] = mapped_column()
    local_zone: Mapped[str] = mapped_column(String(64))
    intervals: Mapped[int] = mapped_column(Integer)
    missing_agent_intervals: Mapped[int] = mapped_column(Integer)
    max_missing: Mapped[int] = mapped_column(Integer)
    unavoidable_agent_intervals: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    """unavoidable, partly unavoidable or traded (stored to filter on it)."""
    reason: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="")


# --- solving -------------------------------------------------------------------------------


class SolveJob(Base):
    """A request to solve a period, and the worker's progress on it.

    Workers claim with a conditional UPDATE (``WHERE state = 'queued'``) and write
    ``heartbeat_at`` while running; a cancel is a flag the worker polls.
    """

    __tablename__ = "solve_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("planning_periods.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """``{"time_limit_seconds": 60, "seed": 0, "workers": 0}`` (``SolveOptions`` fields)."""
    base_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("roster_versions.id", ondelete="SET NULL")
    )
    """For a re-solve: the version whose locked assignments must be kept."""
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    heartbeat_at: Mapped[datetime | None] = mapped_column()
    worker_id: Mapped[str | None] = mapped_column(String(200))
    elapsed_seconds: Mapped[float | None] = mapped_column(Float)
    shortfall: Mapped[int | None] = mapped_column(Integer)
    objective: Mapped[float | None] = mapped_column(Float)
    bound: Mapped[float | None] = mapped_column(Float)
    phase: Mapped[str | None] = mapped_column(String(64))
    log: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str | None] = mapped_column(Text)
    roster_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("roster_versions.id", ondelete="SET NULL")
    )
    """The version the job produced, once succeeded."""
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    dispatched_at: Mapped[datetime | None] = mapped_column()
    """When the job was last handed to a runner (None: the job queue could not be
    reached yet); the job watch hands a queued job again after a while."""

    __table_args__ = (
        CheckConstraint(_one_of("state", JOB_STATES), name="state"),
        Index("ix_solve_jobs_state_created", "state", "created_at"),
    )


# Each feature's models live in a module of their own on the same Base; importing them
# here registers their tables wherever the schema is read (Alembic, tests, the app).
from scheduler.storage import (  # noqa: E402, F401
    models_outbox,
    models_preferences,
    models_requests,
    models_swaps,
)
