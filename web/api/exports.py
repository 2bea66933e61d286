"""Roster exports served over HTTP: payroll hours (CSV, XLSX), the shift list (CSV) and
each agent's iCalendar subscription feed.

The files come from ``scheduler.exports``; this module only picks the roster, checks
who may read it and names the download. The calendar feed is public by design:
calendar clients cannot send an Authorization header, so the secret token in its
URL is the credential (stored only as its sha256, revoked by issuing a new one or
by ``DELETE /api/v1/me/calendar-token``).
"""

from __future__ import annotations

from apiflask import APIBlueprint
from flask import Response, request, url_for

from scheduler.exports import hours_csv, hours_xlsx, shifts_csv, worked_hours
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work
from scheduler.storage.repository import issue_ical_token, record_audit, user_by_ical_token
from scheduler.storage.scenario_store import NotFound, load_period_scenario, load_roster
from web import clock
from web.agent_cache import cached_feed, etag_of, feed_key
from web.api.auth import AGENTS, READERS, current_user, token_auth
from web.api.queries import roster_cover
from web.api.rosters import readable_version
from web.api.schemas import CalendarTokenSchema
from web.api.session import request_session, session_factory
from web.downloads import CSV_TYPE, ICS_TYPE, XLSX_TYPE, download

exports = APIBlueprint("exports", __name__, tag="Exports")

MAX_TOKEN_LENGTH = 200
FEED_CACHE_CONTROL = "private, no-cache"
"""Clients may keep the feed but must ask again each time (cheaply: If-None-Match)."""


def _file_response(description: str, media_type: str, binary: bool = False) -> dict:
    schema = {"type": "string", "format": "binary"} if binary else {"type": "string"}
    return {200: {"description": description, "content": {media_type: {"schema": schema}}}}


@exports.get("/api/v1/rosters/<int:version_id>/hours.csv")
@exports.auth_required(token_auth, roles=READERS)
@exports.doc(
    responses={
        **_file_response("hours.csv: one row per agent and 7-day block", "text/csv"),
        403: "Forbidden",
    }
)
def hours_csv_export(version_id: int):
    """Worked, night, weekend and holiday hours per agent and week (CSV)"""
    scenario, roster = _scenario_and_roster(version_id)
    text = hours_csv(worked_hours(scenario, roster))
    return download(text, CSV_TYPE, f"hours-v{version_id}.csv")


@exports.get("/api/v1/rosters/<int:version_id>/hours.xlsx")
@exports.auth_required(token_auth, roles=READERS)
@exports.doc(
    responses={
        **_file_response(
            "hours.xlsx: Roster (period, version, publish time), a sheet per site, "
            "Agent totals, Shifts",
            XLSX_TYPE,
            binary=True,
        ),
        403: "Forbidden",
    }
)
def hours_xlsx_export(version_id: int):
    """The hours per agent and week as an Excel workbook, one sheet per site"""
    scenario, roster = _scenario_and_roster(version_id)
    cover = roster_cover(request_session(), readable_version(version_id))
    return download(hours_xlsx(scenario, roster, cover), XLSX_TYPE, f"hours-v{version_id}.xlsx")


@exports.get("/api/v1/rosters/<int:version_id>/shifts.csv")
@exports.auth_required(token_auth, roles=READERS)
@exports.doc(
    responses={
        **_file_response("shifts.csv: every shift with names, UTC and local times", "text/csv"),
        403: "Forbidden",
    }
)
def shifts_csv_export(version_id: int):
    """Every shift of the roster with agent and site names, UTC and local times (CSV)"""
    scenario, roster = _scenario_and_roster(version_id)
    text = shifts_csv(scenario, roster)
    return download(text, CSV_TYPE, f"shifts-v{version_id}.csv")


def _scenario_and_roster(version_id: int):
    version = readable_version(version_id)
    session = request_session()
    return load_period_scenario(session, version.period_id), load_roster(session, version_id)


@exports.post("/api/v1/me/calendar-token")
@exports.auth_required(token_auth, roles=AGENTS)
@exports.output(CalendarTokenSchema)
@exports.doc(responses=[403])
def issue_calendar_token():
    """Issue my calendar subscription URL (the previous one stops working)

    Subscribe to the returned URL in a calendar client; it needs no token header,
    so keep it secret. Calling again replaces it.
    """
    with unit_of_work(session_factory()) as session:
        user = session.get(m.User, current_user().id)
        token = issue_ical_token(user)
        record_audit(session, user, "calendar_token.issue", "user", user.id)
    return {"url": url_for("exports.calendar_feed", token=token, _external=True)}


@exports.delete("/api/v1/me/calendar-token")
@exports.auth_required(token_auth, roles=AGENTS)
@exports.output({}, status_code=204)
@exports.doc(responses=[403])
def revoke_calendar_token():
    """Revoke my calendar subscription URL"""
    with unit_of_work(session_factory()) as session:
        user = session.get(m.User, current_user().id)
        user.ical_token_hash = None
        record_audit(session, user, "calendar_token.revoke", "user", user.id)
    return ""


@exports.get("/ical/<token>.ics")
@exports.doc(
    responses={
        **_file_response("the agent's published shifts and site holidays", "text/calendar"),
        404: "Not Found",
    }
)
def calendar_feed(token: str):
    """An agent's calendar feed (public: the token in the URL is the credential)

    Holds the agent's shifts in the published roster of every period whose
    horizon ended at most 92 days ago or later, plus his site's public holidays.
    """
    session = request_session()
    user = None if len(token) > MAX_TOKEN_LENGTH else user_by_ical_token(session, token)
    if user is None or user.role != "agent" or not user.agent_code:
        raise NotFound("no calendar with this address: it was revoked or never existed")
    code = user.agent_code
    today = clock.today()
    key = feed_key(session, user, today)
    tag = etag_of(key)
    if request.if_none_match.contains_weak(tag):  # calendar clients poll: nothing changed
        unchanged = Response(status=304, headers={"Cache-Control": FEED_CACHE_CONTROL})
        unchanged.set_etag(tag, weak=True)
        return unchanged
    feed = cached_feed(session, user, today, key)
    answer = download(
        feed, ICS_TYPE, f"shifts-{code}.ics", inline=True, Cache_Control=FEED_CACHE_CONTROL
    )
    answer.set_etag(tag, weak=True)
    return answer
