"""Agents ask for whole days off; planners see what it costs and decide.

An agent asks for dates with a reason, sees his requests' states and may withdraw
a pending one. A planner sees each period's queue with the staffing impact
(``time_off_impact``) on its published roster, and approves (the time off is
recorded with origin ``request`` and his affected shifts leave a new draft copied
from the published roster, to re-solve or edit before publishing) or declines
with a reason the agent sees.

The database decides every race: one pending request per user and date (the
primary key of ``time_off_request_days``), and each state change is a conditional
UPDATE from ``pending``, so of two planners deciding at once (or a planner and the
withdrawing agent) exactly one wins and the other gets a ``Conflict`` naming what
happened. Every change is audited and mails the people concerned, both in the
same transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from calendars.zones import iso_utc
from scheduler.domain import Roster
from scheduler.jobs.run import locked_keys
from scheduler.requirements import compute_requirements
from scheduler.services import notifications
from scheduler.services.common import iso, user_or_none
from scheduler.services.edit_basis import figures_current
from scheduler.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from scheduler.services.rebuild import rebuild_after_edit, rebuild_roster
from scheduler.services.solving import start_solve
from scheduler.services.time_off_impact import staffing_impact
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from scheduler.storage.models_requests import PendingRequestDay, TimeOffRequest
from scheduler.storage.scenario_store import (
    load_gaps,
    load_period_scenario,
    load_roster,
    refresh_data_hash,
    save_roster,
)

MAX_DAYS = 31
"""Days one request may span."""
MAX_REASON = 500
"""Characters of a reason (the agent's, or the planner's for a decision)."""
MAX_PENDING = 20
"""Pending requests one agent may have at once."""
MAX_AHEAD_DAYS = 400
"""How far ahead of today a request may end."""
DECISIONS = ("approve", "decline")
RESOLVE_SECONDS = 10.0
"""A quick re-solve around a request: its default time limit."""


# --- the agent -----------------------------------------------------------------------------


def request_time_off(
    sessions: sessionmaker[Session],
    user_id: int,
    start_date: date,
    end_date: date,
    reason: str,
    today: date,
) -> dict[str, Any]:
    """Ask for ``start_date``..``end_date`` off (whole local days); the new request.

    Refused (``InvalidInput``, naming the field) past the limits above, for dates
    before today or before the first current planning period that holds him, and
    (``Conflict``) when one of the dates is in another of his pending requests.
    """
    reason = (reason or "").strip()
    with unit_of_work(sessions) as session:
        user = _agent_user(session, user_id)
        _refuse_bad_request(session, user, start_date, end_date, reason, today)
        request = TimeOffRequest(
            user_id=user.id,
            agent_code=user.agent_code or "",
            start_date=start_date,
            end_date=end_date,
            reason=reason,
            state="pending",
            decision_reason="",
            outcome={},
        )
        session.add(request)
        session.flush()
        session.add_all(
            PendingRequestDay(user_id=user.id, day=day, request_id=request.id)
            for day in _dates(start_date, end_date)
        )
        try:
            session.flush()
        except IntegrityError as clash:
            session.rollback()
            raise _overlap(sessions, user_id, start_date, end_date) from clash
        repository.record_audit(
            session,
            user,
            "time_off_request.create",
            "time_off_request",
            request.id,
            _about(session, request),
        )
        notifications.notify_planners(
            session,
            subject=f"Time-off request from {user.agent_code}: {_span(request)}",
            body=(
                f"{user.agent_code} ({user.name}) asks for {_span(request)} off"
                f"{': ' + reason if reason else ''}.\n"
                "See the staffing impact and decide on the period's time-off requests page."
            ),
            kind="time_off_request.pending",
            link=_queue_link(session, user, request),
        )
        return request_dict(request, user.name, None)


def my_requests(sessions: sessionmaker[Session], user_id: int) -> list[dict[str, Any]]:
    """The agent's own requests, newest first."""
    with unit_of_work(sessions) as session:
        user = _agent_user(session, user_id)
        rows = session.execute(
            select(TimeOffRequest, m.User.name)
            .outerjoin(m.User, TimeOffRequest.decided_by_id == m.User.id)
            .where(TimeOffRequest.user_id == user.id)
            .order_by(TimeOffRequest.created_at.desc(), TimeOffRequest.id.desc())
        ).all()
        return [request_dict(request, user.name, decider) for request, decider in rows]


def withdraw(sessions: sessionmaker[Session], user_id: int, request_id: int) -> dict[str, Any]:
    """Withdraw one of the agent's own pending requests. Another agent's request is
    ``NotFound`` (its existence is not told); a request decided meanwhile is a
    ``Conflict`` saying how it was decided."""
    with unit_of_work(sessions) as session:
        user = _agent_user(session, user_id)
        request = session.get(TimeOffRequest, request_id)
        if request is None or request.user_id != user.id:
            raise NotFound(f"no time-off request with id {request_id}")
        _move(session, request, "withdrawn", user, "")
        repository.record_audit(
            session,
            user,
            "time_off_request.withdraw",
            "time_off_request",
            request.id,
            _about(session, request),
        )
        return request_dict(request, user.name, None)


# --- the planner ---------------------------------------------------------------------------


def period_requests(
    sessions: sessionmaker[Session], period_id: int, state: str | None = None
) -> dict[str, Any]:
    """The period's queue: requests of its agents overlapping its dates, pending first
    (oldest first), each pending one with its ``impact`` on the published roster."""
    with unit_of_work(sessions) as session:
        period = session.get(m.PlanningPeriod, period_id)
        if period is None:
            raise NotFound(f"no planning period with id {period_id}")
        found = _requests_of_period(session, period, state)
        published = repository.published_version(session, period_id)
        impacts: dict[int, dict[str, Any]] = {}
        pending = [r for r, _u, _d in found if r.state == "pending"]
        if published is not None and pending:
            scenario = load_period_scenario(session, period_id)
            requirements = compute_requirements(scenario)
            assignments = load_roster(session, published.id).assignments
            for request in pending:
                first, last = _clip(period, request)
                impact = staffing_impact(
                    scenario, requirements, assignments, request.agent_code, first, last
                )
                impacts[request.id] = impact.as_dict(period.interval_minutes)
        jobs = _impact_jobs(session, [r for r, _u, _d in found], published)
        return {
            "period_id": period_id,
            "published_version_id": published.id if published else None,
            "requests": [
                request_dict(request, user, decider)
                | {
                    "impact": impacts.get(request.id),
                    "resolve": jobs.get(request.impact_job_id),
                }
                for request, user, decider in found
            ],
        }


def decide(
    sessions: sessionmaker[Session],
    request_id: int,
    user_id: int | None,
    decision: str,
    reason: str = "",
) -> dict[str, Any]:
    """Approve or decline a pending request (declining needs a reason the agent sees).

    Approving records the days as time off (origin ``request``) in every period
    that holds him on them and, where that period's published roster gives him
    shifts on those days, saves a new draft copied from it without those shifts
    (``outcome.drafts``); dates no period holds him on yet are listed in
    ``outcome.days_in_no_period`` (to record once that period is imported).
    ``Conflict`` when someone decided or the agent withdrew it first."""
    reason = (reason or "").strip()
    _refuse_bad_decision(decision, reason)
    with unit_of_work(sessions) as session:
        planner = user_or_none(session, user_id)
        request = session.get(TimeOffRequest, request_id)
        if request is None:
            raise NotFound(f"no time-off request with id {request_id}")
        state = "approved" if decision == "approve" else "declined"
        _move(session, request, state, planner, reason)
        if state == "approved":
            request.outcome = _approve(session, request, planner)
        repository.record_audit(
            session,
            planner,
            f"time_off_request.{'approve' if state == 'approved' else 'decline'}",
            "time_off_request",
            request.id,
            _about(session, request) | {"decision_reason": reason, "outcome": request.outcome},
        )
        asker = session.get(m.User, request.user_id)
        _mail_asker(session, asker, request, state, reason)
        return request_dict(request, asker.name if asker else None, _name(planner))


def resolve_impact(
    sessions: sessionmaker[Session],
    request_id: int,
    period_id: int,
    user_id: int | None,
    time_limit_seconds: float = RESOLVE_SECONDS,
) -> int:
    """Start a quick re-solve of the period from its published roster (locked shifts
    kept, few other changes) as if the pending request were approved; returns the job
    id. The queue then shows the shortfall the re-solve's draft adds (``resolve``)."""
    with unit_of_work(sessions) as session:
        request = session.get(TimeOffRequest, request_id)
        period = session.get(m.PlanningPeriod, period_id)
        if request is None or period is None:
            raise NotFound(f"no time-off request {request_id} in period {period_id}")
        asker = session.get(m.User, request.user_id)
        if period_id not in {p.id for p, _a in _periods_holding(session, asker, request)}:
            raise NotFound(f"time-off request {request_id} is not for period {period_id}")
        if request.state != "pending":
            raise Conflict(
                f"request {request_id} is {request.state}: only a pending one is re-solved",
                {"id": request.id, "state": request.state},
            )
        published = repository.published_version(session, period_id)
        if published is None:
            raise Conflict(
                f"period {period_id} has no published roster to re-solve from",
                {"period_id": period_id, "published_version_id": None},
            )
        base_id = published.id
    job_id = start_solve(
        sessions,
        period_id,
        user_id,
        time_limit_seconds=time_limit_seconds,
        base_version_id=base_id,
        time_off_request_id=request_id,
    )
    with unit_of_work(sessions) as session:
        session.execute(
            update(TimeOffRequest)
            .where(TimeOffRequest.id == request_id)
            .values(impact_job_id=job_id)
            .execution_options(synchronize_session=False)
        )
    return job_id


# --- approving -----------------------------------------------------------------------------


def _approve(session: Session, request: TimeOffRequest, planner: m.User | None) -> dict:
    """Record the time off in each period holding him on those dates, and a draft
    without his shifts there where the period has a published roster."""
    asker = session.get(m.User, request.user_id)
    outcome: dict[str, list[Any]] = {"time_off": [], "drafts": []}
    held: set[date] = set()
    for period, agent in _periods_holding(session, asker, request):
        first, last = _clip(period, request)
        held.update(_dates(first, last))
        position = session.scalar(
            select(func.max(m.TimeOff.position))
            .join(m.Agent, m.TimeOff.agent_id == m.Agent.id)
            .where(m.Agent.period_id == period.id)
        )
        absence = m.TimeOff(
            agent_id=agent.id,
            position=0 if position is None else position + 1,
            start_date=first,
            end_date=last,
            reason=f"request {request.id}{': ' + request.reason if request.reason else ''}",
            origin="request",
        )
        session.add(absence)
        session.flush()
        refresh_data_hash(session, period)
        outcome["time_off"].append({"period_id": period.id, "time_off_id": absence.id})
        draft = _draft_without(session, period, request.agent_code, first, last, planner)
        if draft is not None:
            outcome["drafts"].append(draft)
    outcome["days_in_no_period"] = [
        day.isoformat() for day in _dates(request.start_date, request.end_date) if day not in held
    ]
    return outcome


def _draft_without(
    session: Session,
    period: m.PlanningPeriod,
    code: str,
    first: date,
    last: date,
    planner: m.User | None,
) -> dict[str, Any] | None:
    """A new draft copied from the published roster without ``code``'s shifts on
    ``first``..``last`` (coverage, gaps and summary recomputed as an edit does);
    None when the published roster gives him none there."""
    published = repository.published_version(session, period.id)
    if published is None:
        return None
    roster = load_roster(session, published.id)
    kept = [a for a in roster.assignments if not (a.agent_id == code and first <= a.date <= last)]
    removed = len(roster.assignments) - len(kept)
    if not removed:
        return None
    scenario = load_period_scenario(session, period.id)
    if figures_current(session, published):
        rebuilt = rebuild_after_edit(
            scenario,
            roster,
            load_gaps(session, published.id),
            kept,
            published.summary,
            roster.assignments,
        )
    else:  # the time off just recorded changed the data the published figures came from
        rebuilt = rebuild_roster(scenario, kept, published.summary, roster.assignments)
    pinned = {
        key
        for key in locked_keys(session, published.id)
        if key[0] != code or not first <= key[1] <= last
    }
    draft = save_roster(
        session,
        period.id,
        Roster(rebuilt.roster.assignments, rebuilt.roster.coverage, rebuilt.roster.summary),
        rebuilt.gaps,
        created_by=planner,
        parent=published,
        locked=pinned,
        data_hash=period.data_hash,
        history_version_id=published.history_version_id,
    )
    session.flush()
    repository.record_audit(
        session,
        planner,
        "roster.copy",
        "roster_version",
        draft.id,
        {"copied_from": published.id, "time_off_of": code, "removed_shifts": removed},
    )
    return {
        "period_id": period.id,
        "version_id": draft.id,
        "copied_from_id": published.id,
        "removed_shifts": removed,
        "shortfall_before": published.summary.get("shortfall"),
        "shortfall_after": rebuilt.roster.summary.get("shortfall"),
    }


# --- states --------------------------------------------------------------------------------


def _move(
    session: Session, request: TimeOffRequest, state: str, by: m.User | None, reason: str
) -> None:
    """pending -> ``state`` by a conditional UPDATE; a request no longer pending (even
    one changed a moment ago by another transaction) is a ``Conflict``."""
    now = m.utc_now()
    moved = session.execute(
        update(TimeOffRequest)
        .where(TimeOffRequest.id == request.id, TimeOffRequest.state == "pending")
        .values(
            state=state,
            decided_at=now,
            decided_by_id=by.id if by else None,
            decision_reason=reason,
        )
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        session.refresh(request)
        who = session.get(m.User, request.decided_by_id) if request.decided_by_id else None
        when = request.decided_at.isoformat(timespec="seconds") if request.decided_at else "?"
        by_whom = f" by {who.name}" if who else ""
        raise Conflict(
            f"request {request.id} is no longer pending: it was {request.state}{by_whom} "
            f"at {when}; reload",
            {"id": request.id, "state": request.state, "decided_at": iso(request.decided_at)},
        )
    session.execute(delete(PendingRequestDay).where(PendingRequestDay.request_id == request.id))
    session.refresh(request)


# --- queries -------------------------------------------------------------------------------


def _requests_of_period(
    session: Session, period: m.PlanningPeriod, state: str | None
) -> list[tuple[TimeOffRequest, str, str | None]]:
    """Requests overlapping the period's dates by users who are one of its agents
    (same code and, when the user has an e-mail, the same e-mail in agents.csv)."""
    end = period.horizon_start + timedelta(days=period.horizon_days - 1)
    asker = m.User.__table__.alias("asker")
    decider = m.User.__table__.alias("decider")
    query = (
        select(TimeOffRequest, asker.c.name, decider.c.name, asker.c.email, m.Agent.email)
        .join(asker, TimeOffRequest.user_id == asker.c.id)
        .outerjoin(decider, TimeOffRequest.decided_by_id == decider.c.id)
        .join(
            m.Agent,
            (m.Agent.period_id == period.id)
            & (m.Agent.code == TimeOffRequest.agent_code)
            & m.Agent.active,
        )
        .where(TimeOffRequest.start_date <= end, TimeOffRequest.end_date >= period.horizon_start)
    )
    if state is not None:
        query = query.where(TimeOffRequest.state == state)
    found = [
        (request, name, decided_by)
        for request, name, decided_by, user_email, agent_email in session.execute(query)
        if not user_email or (agent_email or "").lower() == user_email
    ]
    found.sort(key=lambda item: (item[0].state != "pending", _order(item[0])))
    return found


def _order(request: TimeOffRequest) -> tuple:
    if request.state == "pending":
        return (request.created_at, request.id)
    return (-request.decided_at.timestamp() if request.decided_at else 0, -request.id)


def _periods_holding(
    session: Session, user: m.User, request: TimeOffRequest
) -> list[tuple[m.PlanningPeriod, m.Agent]]:
    rows = session.execute(
        select(m.PlanningPeriod, m.Agent)
        .join(m.Agent, m.Agent.period_id == m.PlanningPeriod.id)
        .where(repository.is_the_users_agent(user), m.Agent.active)
        .where(m.Agent.code == request.agent_code)
        .order_by(m.PlanningPeriod.horizon_start, m.PlanningPeriod.id)
    ).all()
    return [
        (period, agent)
        for period, agent in rows
        if period.horizon_start <= request.end_date and request.start_date <= _last_day(period)
    ]


def _impact_jobs(
    session: Session, requests: list[TimeOffRequest], published: m.RosterVersion | None
) -> dict[int, dict[str, Any]]:
    """Each what-if re-solve's state and, once its draft exists, the shortfall it adds
    to the published roster (from both rosters' stored coverage), in total, per
    language and how many shifts it changed."""
    ids = [r.impact_job_id for r in requests if r.impact_job_id is not None]
    if not ids:
        return {}
    found = {}
    base = load_roster(session, published.id) if published is not None else None
    for job in session.scalars(select(m.SolveJob).where(m.SolveJob.id.in_(ids))):
        entry: dict[str, Any] = {
            "job_id": job.id,
            "state": job.state,
            "version_id": job.roster_version_id,
            "base_version_id": job.base_version_id,
            "current": published is not None and job.base_version_id == published.id,
            "total": None,
            "by_language": {},
            "changed_shifts": None,
        }
        if job.roster_version_id is not None and base is not None:
            after = load_roster(session, job.roster_version_id)
            entry |= _shortfall_change(base, after)
        found[job.id] = entry
    return found


def _shortfall_change(before: Roster, after: Roster) -> dict[str, Any]:
    old = {(row.interval_start_utc, row.language): row for row in before.coverage}
    by_language: dict[str, int] = {}
    for row in after.coverage:
        was = old.get((row.interval_start_utc, row.language))
        if was is None:
            continue
        added = max(0, row.required - row.staffed) - max(0, was.required - was.staffed)
        if added:
            by_language[row.language] = by_language.get(row.language, 0) + added
    keys = {(a.agent_id, a.date, a.shift_id) for a in before.assignments}
    new_keys = {(a.agent_id, a.date, a.shift_id) for a in after.assignments}
    return {
        "total": sum(by_language.values()),
        "by_language": {k: v for k, v in sorted(by_language.items()) if v},
        "changed_shifts": len(keys ^ new_keys),
    }


def _last_day(period: m.PlanningPeriod) -> date:
    return period.horizon_start + timedelta(days=period.horizon_days - 1)


def _clip(period: m.PlanningPeriod, request: TimeOffRequest) -> tuple[date, date]:
    return max(request.start_date, period.horizon_start), min(request.end_date, _last_day(period))


# --- checks and words ----------------------------------------------------------------------


def _agent_user(session: Session, user_id: int) -> m.User:
    user = session.get(m.User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    if user.role != "agent" or not user.agent_code:
        raise Forbidden("only an agent asks for time off, for himself")
    return user


def _refuse_bad_request(
    session: Session, user: m.User, start: date, end: date, reason: str, today: date
) -> None:
    errors = []

    def bad(field: str, value: object, expected: str, message: str) -> None:
        errors.append(
            {
                "file": "time_off_request",
                "line": None,
                "field": field,
                "value": str(value),
                "expected": expected,
                "message": message,
            }
        )

    if end < start:
        bad(
            "end_date",
            end,
            f"a date on or after start_date {start}",
            f"end_date {end} is before start_date {start}",
        )
    elif (end - start).days + 1 > MAX_DAYS:
        bad(
            "end_date",
            end,
            f"at most {MAX_DAYS} days from start_date",
            f"{(end - start).days + 1} days asked; at most {MAX_DAYS} in one request",
        )
    if start < today:
        bad("start_date", start, f"today ({today}) or later", f"start_date {start} is in the past")
    if end > today + timedelta(days=MAX_AHEAD_DAYS):
        bad(
            "end_date",
            end,
            f"within {MAX_AHEAD_DAYS} days of today",
            f"end_date {end} is too far ahead",
        )
    if len(reason) > MAX_REASON:
        bad(
            "reason",
            f"{len(reason)} characters",
            f"at most {MAX_REASON} characters",
            f"reason is {len(reason)} characters long; at most {MAX_REASON}",
        )
    first = _first_current_day(session, user, today)
    if first is None:
        bad(
            "start_date",
            start,
            "dates of a current planning period that includes you",
            "no current planning period includes you yet: ask your planner",
        )
    elif start < first:
        bad(
            "start_date",
            start,
            f"{first} or later (your first current planning period starts then)",
            f"start_date {start} is before your first current planning period starts ({first})",
        )
    pending = session.scalar(
        select(func.count(TimeOffRequest.id)).where(
            TimeOffRequest.user_id == user.id, TimeOffRequest.state == "pending"
        )
    )
    if pending >= MAX_PENDING:
        bad(
            "start_date",
            start,
            f"at most {MAX_PENDING} pending requests",
            f"you have {pending} pending requests; withdraw one or wait for a decision",
        )
    if errors:
        raise InvalidInput(f"time-off request refused: {errors[0]['message']}", errors)


def _first_current_day(session: Session, user: m.User, today: date) -> date | None:
    """The first date of the earliest period holding him whose horizon has not ended."""
    periods = session.scalars(
        select(m.PlanningPeriod)
        .join(m.Agent, m.Agent.period_id == m.PlanningPeriod.id)
        .where(repository.is_the_users_agent(user), m.Agent.active)
    ).all()
    current = [p.horizon_start for p in periods if _last_day(p) >= today]
    return min(current, default=None)


def _refuse_bad_decision(decision: str, reason: str) -> None:
    problem = None
    if decision not in DECISIONS:
        problem = ("decision", decision, "approve or decline")
    elif decision == "decline" and not reason:
        problem = ("reason", "", "a reason the agent will read (declining needs one)")
    elif len(reason) > MAX_REASON:
        problem = ("reason", f"{len(reason)} characters", f"at most {MAX_REASON} characters")
    if problem:
        field, value, expected = problem
        message = f"{field} {value!r} is not valid (expected {expected})"
        raise InvalidInput(
            message,
            [
                {
                    "file": "decision",
                    "line": None,
                    "field": field,
                    "value": value,
                    "expected": expected,
                    "message": message,
                }
            ],
        )


def _overlap(sessions: sessionmaker[Session], user_id: int, start: date, end: date) -> Conflict:
    with unit_of_work(sessions) as session:
        clash = session.scalar(
            select(TimeOffRequest)
            .join(PendingRequestDay, PendingRequestDay.request_id == TimeOffRequest.id)
            .where(PendingRequestDay.user_id == user_id, PendingRequestDay.day.between(start, end))
            .limit(1)
        )
        if clash is None:  # the other request was decided meanwhile: try again
            return Conflict("another request of yours changed meanwhile; try again")
        return Conflict(
            f"you already have a pending request for {_span(clash)} (request {clash.id}); "
            "withdraw it first or ask for other dates",
            {
                "id": clash.id,
                "state": clash.state,
                "start_date": clash.start_date.isoformat(),
                "end_date": clash.end_date.isoformat(),
            },
        )


def _dates(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _span(request: TimeOffRequest) -> str:
    days = (request.end_date - request.start_date).days + 1
    if days == 1:
        return f"{request.start_date:%a %d %b %Y}"
    return f"{request.start_date:%a %d %b} to {request.end_date:%a %d %b %Y} ({days} days)"


def _decision_body(request: TimeOffRequest, state: str, reason: str) -> str:
    lines = [f"Your request for {_span(request)} off was {state}."]
    if reason:
        lines.append(f"{'Reason' if state == 'declined' else 'Note'}: {reason}")
    if state == "approved":
        lines.append("Your planner will publish an updated roster; your shifts page shows it then.")
    return "\n".join(lines)


def _queue_link(session: Session, user: m.User, request: TimeOffRequest) -> str:
    """The queue page of the first period the request falls in (else the periods list)."""
    periods = _periods_holding(session, user, request)
    return f"/periods/{periods[0][0].id}/time-off-requests" if periods else "/periods"


def _mail_asker(
    session: Session, asker: m.User | None, request: TimeOffRequest, state: str, reason: str
) -> None:
    """The decision to the agent: his user's e-mail, else agents.csv's (none: no mail)."""
    if asker is None:
        return
    address = asker.email or session.scalar(
        select(m.Agent.email)
        .where(repository.is_the_users_agent(asker), m.Agent.email != "")
        .order_by(m.Agent.id.desc())
        .limit(1)
    )
    if not address:
        return
    notifications.queue_mail(
        session,
        to_user_id=asker.id,
        to_address=address,
        subject=f"Your time-off request for {_span(request)} was {state}",
        body=_decision_body(request, state, reason),
        kind=f"time_off_request.{state}",
        link="/me/time-off",
    )


def _about(session: Session, request: TimeOffRequest) -> dict[str, Any]:
    """Audit details; ``period_ids`` puts the entry in those periods' audit trails."""
    asker = session.get(m.User, request.user_id)
    periods = _periods_holding(session, asker, request) if asker else []
    return {
        "period_ids": [period.id for period, _agent in periods],
        "agent_code": request.agent_code,
        "start_date": request.start_date.isoformat(),
        "end_date": request.end_date.isoformat(),
        "reason": request.reason,
    }


def _utc(instant: datetime | None) -> str | None:
    return iso_utc(instant) if instant is not None else None


def _name(user: m.User | None) -> str | None:
    return user.name if user else None


def request_dict(
    request: TimeOffRequest, user_name: str | None, decided_by: str | None
) -> dict[str, Any]:
    """A request as JSON-ready fields (the API and pages alike)."""
    return {
        "id": request.id,
        "agent_id": request.agent_code,
        "user": user_name,
        "start_date": request.start_date.isoformat(),
        "end_date": request.end_date.isoformat(),
        "days": (request.end_date - request.start_date).days + 1,
        "reason": request.reason,
        "state": request.state,
        "created_at": _utc(request.created_at),
        "decided_at": _utc(request.decided_at),
        "decided_by": decided_by,
        "decision_reason": request.decision_reason,
        "outcome": request.outcome or {},
    }
