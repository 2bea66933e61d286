"""Request and response schemas: the same classes validate input, shape output and
generate the OpenAPI document, so the documentation cannot drift from the code.

Instants are ISO 8601 in UTC with ``Z`` (``2027-06-07T06:00:00Z``); local times
carry their offset (``2027-06-07T08:00:00+02:00``); local dates are ``YYYY-MM-DD``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from apiflask import Schema
from apiflask.fields import (
    Boolean,
    Date,
    DateTime,
    Dict,
    File,
    Float,
    Integer,
    List,
    Nested,
    String,
)
from apiflask.validators import Length, OneOf, Range
from marshmallow import ValidationError, validates_schema

from calendars.zones import iso_local, iso_utc
from scheduler.services.solving import MAX_TIME_LIMIT_SECONDS

MAX_ID = 2**63 - 1
MAX_PER_PAGE = 10_000


class UTCInstant(DateTime):
    """An aware instant written in UTC with ``Z``."""

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any):
        return None if value is None else iso_utc(value)


class LocalTime(DateTime):
    """A local time written with its UTC offset."""

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any):
        return None if value is None else iso_local(value)


# --- errors --------------------------------------------------------------------------------


class ErrorItemSchema(Schema):
    location = String(metadata={"description": "json, query or form (request fields)"})
    file = String(metadata={"description": "scenario file, e.g. agents.csv"})
    line = Integer(allow_none=True)
    field = String()
    value = String()
    expected = String()
    message = String(required=True)
    rule = String(metadata={"description": "a broken rule: its code, e.g. min_rest"})
    agent_id = String(metadata={"description": "a broken rule: the agent"})
    date = String(metadata={"description": "a broken rule: the local date"})
    detail = String(metadata={"description": "a broken rule: why, in words"})


class ErrorSchema(Schema):
    error = String(required=True, metadata={"description": "stable code, e.g. not_found"})
    message = String(required=True)
    field = String(metadata={"description": "the first offending field, when there is one"})
    errors = List(Nested(ErrorItemSchema), metadata={"description": "every problem found"})
    current = Dict(metadata={"description": "409 on publish: the roster version as it is now"})
    retry_after = Integer(metadata={"description": "429: seconds to wait (as Retry-After)"})
    limit = String(metadata={"description": "429: the limit reached, e.g. per_user, solve"})


# --- periods -------------------------------------------------------------------------------


class ImportFilesSchema(Schema):
    """The files of a scenario folder, each in the form field named like the file."""

    scenario_toml = File(required=True, data_key="scenario.toml")
    agents_csv = File(required=True, data_key="agents.csv")
    forecast_csv = File(data_key="forecast.csv")
    required_csv = File(data_key="required.csv")
    time_off_csv = File(data_key="time_off.csv")
    name = String(validate=Length(1, 200), metadata={"description": "period name"})


class HorizonSchema(Schema):
    start = Date(required=True)
    days = Integer(required=True)
    interval_minutes = Integer(required=True)
    start_utc = UTCInstant(required=True)
    end_utc = UTCInstant(required=True)


class PeriodSchema(Schema):
    id = Integer(required=True)
    name = String(required=True)
    scenario_name = String(required=True)
    horizon = Nested(HorizonSchema, required=True)
    imported_at = UTCInstant(required=True)
    published_version_id = Integer(allow_none=True, required=True)


class PeriodListSchema(Schema):
    periods = List(Nested(PeriodSchema), required=True)


class PeriodLinkSchema(Schema):
    period_id = Integer(required=True)
    period_name = String(required=True)
    published_version_id = Integer(allow_none=True, required=True)
    shared_agents = Integer(required=True, metadata={"description": "agent ids in both"})


class PeriodDetailSchema(PeriodSchema):
    sites = Integer(required=True, metadata={"description": "active sites"})
    agents = Integer(required=True, metadata={"description": "active agents"})
    languages = List(String(), required=True)
    demand = String(required=True, validate=OneOf(["forecast", "required"]))
    versions = Integer(required=True, metadata={"description": "roster versions saved"})
    follows = Nested(
        PeriodLinkSchema,
        allow_none=True,
        required=True,
        metadata={
            "description": "the period this one follows (it ends where this one starts, "
            "sharing agents): its published roster's last 14 days are this period's history"
        },
    )
    followed_by = List(Nested(PeriodLinkSchema), required=True)


class ImportReportSchema(Schema):
    """What an import changed (see docs/api.md)."""

    reimport = Boolean(required=True)
    warnings = List(Dict(), required=True, metadata={"description": "every warning the CLI prints"})
    changes = Dict(required=True)
    conflicts = List(
        Dict(), required=True, metadata={"description": "app records the new files contradict"}
    )
    overlaps = List(
        Dict(), required=True, metadata={"description": "other periods' published rosters"}
    )


class ImportedPeriodSchema(PeriodDetailSchema):
    import_report = Nested(ImportReportSchema, required=True)


# --- jobs ----------------------------------------------------------------------------------


class SolveRequestSchema(Schema):
    time_limit_seconds = Float(load_default=60.0, validate=Range(min=1, max=MAX_TIME_LIMIT_SECONDS))
    seed = Integer(load_default=0, validate=Range(min=0, max=2**31 - 1))
    workers = Integer(load_default=0, validate=Range(min=0, max=256))
    base_version_id = Integer(
        load_default=None,
        allow_none=True,
        validate=Range(min=1, max=MAX_ID),
        metadata={"description": "re-solve: keep this version's locked shifts"},
    )


class ResolveRequestSchema(Schema):
    time_limit_seconds = Float(load_default=60.0, validate=Range(min=1, max=MAX_TIME_LIMIT_SECONDS))


class JobOptionsSchema(Schema):
    time_limit_seconds = Float(allow_none=True)
    seed = Integer(allow_none=True)
    workers = Integer(allow_none=True)


class JobProgressSchema(Schema):
    elapsed_seconds = Float(allow_none=True, required=True)
    shortfall = Integer(allow_none=True, required=True)
    objective = Float(allow_none=True, required=True)
    bound = Float(allow_none=True, required=True)
    phase = String(allow_none=True, required=True)


class JobSchema(Schema):
    id = Integer(required=True)
    period_id = Integer(required=True)
    state = String(
        required=True, validate=OneOf(["queued", "running", "succeeded", "failed", "cancelled"])
    )
    options = Nested(JobOptionsSchema, required=True)
    base_version_id = Integer(allow_none=True, required=True)
    created_at = UTCInstant(required=True)
    started_at = UTCInstant(allow_none=True, required=True)
    finished_at = UTCInstant(allow_none=True, required=True)
    heartbeat_at = UTCInstant(allow_none=True, required=True)
    progress = Nested(JobProgressSchema, required=True)
    error = String(allow_none=True, required=True)
    roster_version_id = Integer(allow_none=True, required=True)
    cancel_requested = Boolean(required=True)
    note = String(
        allow_none=True,
        required=True,
        metadata={"description": "where an unfinished job stands: waiting or running where"},
    )


class JobListSchema(Schema):
    jobs = List(Nested(JobSchema), required=True)


# --- rosters -------------------------------------------------------------------------------


class RosterStatusSchema(Schema):
    stale = Boolean(
        required=True,
        metadata={
            "description": "the period's data changed since its figures were computed "
            "(they stay those of the data it was solved with)"
        },
    )
    history_changed = Boolean(
        required=True,
        metadata={"description": "the previous period's published roster changed since"},
    )
    history_version_id = Integer(
        allow_none=True,
        required=True,
        metadata={"description": "the previous period's version its history came from"},
    )
    messages = List(String(), required=True)


class VersionSchema(Schema):
    id = Integer(required=True)
    period_id = Integer(required=True)
    number = Integer(required=True)
    state = String(required=True, validate=OneOf(["draft", "published", "superseded"]))
    version = Integer(required=True, metadata={"description": "send as expected_version"})
    created_at = UTCInstant(required=True)
    published_at = UTCInstant(allow_none=True, required=True)
    parent_id = Integer(allow_none=True, required=True)
    status = Nested(
        RosterStatusSchema,
        required=True,
        metadata={"description": "whether its figures still match the period's data"},
    )


class VersionListSchema(Schema):
    versions = List(Nested(VersionSchema), required=True)


class AssignmentSchema(Schema):
    id = Integer(required=True)
    agent_id = String(required=True, metadata={"description": "the agent's code"})
    agent_name = String(required=True)
    site = String(required=True)
    date = Date(required=True, metadata={"description": "local date the shift starts"})
    shift = String(required=True)
    start_utc = UTCInstant(required=True)
    end_utc = UTCInstant(required=True)
    start_local = LocalTime(required=True)
    end_local = LocalTime(required=True)
    locked = Boolean(required=True)


class PageQuerySchema(Schema):
    page = Integer(load_default=1, validate=Range(min=1, max=1_000_000))
    per_page = Integer(load_default=500, validate=Range(min=1, max=MAX_PER_PAGE))
    all = Boolean(load_default=False, metadata={"description": "every assignment, no paging"})
    agent_id = String(validate=Length(1, 64), metadata={"description": "one agent's shifts"})


class RosterSchema(Schema):
    version = Nested(VersionSchema, required=True)
    summary = Dict(required=True, metadata={"description": "summary.json of the roster"})
    total = Integer(required=True, metadata={"description": "assignments matching, all pages"})
    page = Integer(required=True)
    per_page = Integer(required=True)
    assignments = List(Nested(AssignmentSchema), required=True)


class CoverageQuerySchema(Schema):
    language = String(validate=Length(1, 16))


class CoverageRowSchema(Schema):
    interval_start_utc = UTCInstant(required=True)
    language = String(required=True)
    required = Integer(required=True)
    staffed = Integer(required=True)


class CoverageSchema(Schema):
    version_id = Integer(required=True)
    coverage = List(Nested(CoverageRowSchema), required=True)


class GapSchema(Schema):
    language = String(required=True)
    start_utc = UTCInstant(required=True)
    end_utc = UTCInstant(required=True)
    start_local = LocalTime(required=True)
    end_local = LocalTime(required=True)
    local_zone = String(required=True)
    intervals = Integer(required=True)
    missing_agent_intervals = Integer(required=True)
    max_missing = Integer(required=True)
    unavoidable_agent_intervals = Integer(required=True)
    kind = String(required=True)
    reason = String(required=True)
    details = String(required=True)


class GapListSchema(Schema):
    version_id = Integer(required=True)
    gaps = List(Nested(GapSchema), required=True)


class PublishRequestSchema(Schema):
    expected_version = Integer(
        required=True,
        validate=Range(min=0, max=MAX_ID),
        metadata={"description": "the version number read (VersionSchema.version)"},
    )
    expected_published_id = Integer(
        allow_none=True,
        validate=Range(min=1, max=MAX_ID),
        metadata={
            "description": (
                "the id of the version you saw published (null: none was); if another "
                "version was published since, 409. Left out: the one published when the "
                "request arrives"
            )
        },
    )


# --- edits ---------------------------------------------------------------------------------


class AddAssignmentSchema(Schema):
    agent_id = String(required=True, validate=Length(1, 64))
    date = Date(required=True)
    shift = String(required=True, validate=Length(1, 64))
    locked = Boolean(load_default=True)


class LockSchema(Schema):
    locked = Boolean(required=True)


class EditResultSchema(Schema):
    """What an edit changed. Editing a published version copies it to a new draft
    first: follow ``version.id`` (and the new ``assignment.id``) from then on."""

    version = Nested(
        VersionSchema,
        required=True,
        metadata={"description": "the draft that was changed, with its new `version`"},
    )
    copied_from_id = Integer(
        allow_none=True,
        required=True,
        metadata={"description": "the published version this edit copied into the draft"},
    )
    assignment = Nested(
        AssignmentSchema,
        allow_none=True,
        required=True,
        metadata={"description": "the added or (un)locked row in the draft; null on removal"},
    )


class TimeOffRequestSchema(Schema):
    agent_id = String(required=True, validate=Length(1, 64))
    start_date = Date(required=True)
    end_date = Date(required=True)
    reason = String(load_default="", validate=Length(max=500))

    @validates_schema
    def _dates_in_order(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data["end_date"] < data["start_date"]:
            raise ValidationError("must not be before start_date", field_name="end_date")


class TimeOffSchema(Schema):
    id = Integer(required=True)
    period_id = Integer(required=True)
    agent_id = String(required=True)
    start_date = Date(required=True)
    end_date = Date(required=True)
    reason = String(required=True)


# --- agents and health ---------------------------------------------------------------------


class ShiftQuerySchema(Schema):
    start = Date(data_key="from", metadata={"description": "first local date (inclusive)"})
    end = Date(data_key="to", metadata={"description": "last local date (inclusive)"})


class MyShiftSchema(AssignmentSchema):
    period_id = Integer(required=True)
    period_name = String(required=True)
    version_id = Integer(required=True)


class MyShiftListSchema(Schema):
    agent_id = String(required=True)
    shifts = List(Nested(MyShiftSchema), required=True)


class HealthSchema(Schema):
    status = String(required=True)


class PublishResultSchema(VersionSchema):
    """The published version, and the one it superseded."""

    superseded_id = Integer(
        allow_none=True,
        required=True,
        metadata={"description": "the version published before (now superseded), if any"},
    )
    warnings = List(
        String(),
        required=True,
        metadata={"description": "e.g. the previous period was re-published since its solve"},
    )


class AgentChangesSchema(Schema):
    agent_id = String(required=True)
    removed = List(String(), required=True, metadata={"description": '"YYYY-MM-DD shift"'})
    added = List(String(), required=True)


class ChangesSchema(Schema):
    kept = Integer(required=True)
    removed = Integer(required=True)
    added = Integer(required=True)
    agents = List(Nested(AgentChangesSchema), required=True)


class RevertPreviewSchema(ChangesSchema):
    version_id = Integer(required=True)
    published_id = Integer(allow_none=True, required=True)


class RevertRequestSchema(Schema):
    expected_published_id = Integer(
        allow_none=True,
        validate=Range(min=1, max=MAX_ID),
        metadata={"description": "the version you saw published (null: none)"},
    )


class RevertResultSchema(PublishResultSchema):
    reverted_from = Integer(required=True)
    changes = Nested(ChangesSchema, required=True)


class AuditEntrySchema(Schema):
    id = Integer(required=True)
    at = UTCInstant(required=True)
    user = String(allow_none=True, required=True)
    action = String(required=True, metadata={"description": "e.g. roster.publish"})
    target_type = String(required=True)
    target_id = String(required=True)
    agent_id = String(allow_none=True, required=True)
    details = Dict(required=True)
    text = String(required=True, metadata={"description": "the entry in words"})


class AuditListSchema(Schema):
    period_id = Integer(required=True)
    entries = List(Nested(AuditEntrySchema), required=True)


class AuditQuerySchema(Schema):
    agent_id = String(validate=Length(min=1, max=64), metadata={"description": "one agent"})


class CalendarTokenSchema(Schema):
    url = String(
        required=True,
        metadata={"description": "the secret iCalendar subscription URL (.../ical/<token>.ics)"},
    )
