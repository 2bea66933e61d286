"""Tell each agent what a newly published roster changed for him, in his local time.

``plan_roster_mails`` compares the previously published version with the new one
(``scheduler.roster_compare``) and words one mail per agent whose shifts changed and
who has a user with an e-mail; it only reads, so a publish runs it before its short
writing transaction. ``queue_roster_mails`` adds them to that transaction (they are
sent only if the publish commits). Publishing, reverting (a publish of a copy) and
anything else that publishes a version (a swap) go through here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.domain import Assignment, Roster
from scheduler.mail.wording import local_span
from scheduler.roster_compare import ADDED, MOVED, REMOVED, ShiftChange, compare_rosters
from scheduler.services.notifications import queue_mail
from scheduler.storage import models as m
from scheduler.storage import roster_mapper

MAX_LINES = 62
"""Changes listed per mail (a first publish of a quarter lists ~60 shifts); the rest
is counted."""
AGENT_LINK = "/me"
KIND = "roster.changed"


@dataclass(frozen=True)
class RosterMail:
    user_id: int
    address: str
    subject: str
    body: str


def plan_roster_mails(
    session: Session, period_id: int, before_id: int | None, after_id: int
) -> list[RosterMail]:
    """One mail per linked user of each agent whose shifts differ between the two
    versions (``before_id`` None: a first publish, every shift is new)."""
    after = roster_mapper.to_domain(session, after_id, coverage=False)
    before = (
        roster_mapper.to_domain(session, before_id, coverage=False)
        if before_id is not None
        else Roster((), ())
    )
    changed = compare_rosters(before, after).agents
    if not changed:
        return []
    period = session.get(m.PlanningPeriod, period_id)
    zones: dict[str, str] = {
        code: zone
        for code, zone in session.execute(
            select(m.Site.code, m.Site.timezone).where(m.Site.period_id == period_id)
        )
    }
    readers = _readers(session, period_id, [agent.agent_id for agent in changed])
    mails = []
    for agent in changed:
        for user, agent_name in readers.get(agent.agent_id, []):
            first = before_id is None
            subject = (
                f"Your shifts in {period.name} are published"
                if first
                else f"Your shifts in {period.name} changed"
            )
            body = _body(agent_name, period.name, after_id, before_id, agent.changes, zones)
            mails.append(RosterMail(user.id, user.email or "", subject, body))
    return mails


def queue_roster_mails(session: Session, mails: list[RosterMail]) -> None:
    for mail in mails:
        queue_mail(
            session,
            to_user_id=mail.user_id,
            to_address=mail.address,
            subject=mail.subject,
            body=mail.body,
            kind=KIND,
            link=AGENT_LINK,
        )


def queue_roster_change_mails(
    session: Session, period_id: int, before_id: int | None, after_id: int
) -> int:
    """Both at once, in the caller's transaction; how many mails were queued."""
    mails = plan_roster_mails(session, period_id, before_id, after_id)
    queue_roster_mails(session, mails)
    return len(mails)


def _readers(
    session: Session, period_id: int, codes: list[str]
) -> dict[str, list[tuple[m.User, str]]]:
    """Agent code -> (active user with an e-mail linked to him, agent's name)."""
    rows = session.execute(
        select(m.User, m.Agent.code, m.Agent.name)
        .join(m.Agent, m.Agent.code == m.User.agent_code)
        .where(
            m.Agent.period_id == period_id,
            m.Agent.code.in_(codes),
            m.User.role == "agent",
            m.User.active.is_(True),
            m.User.email.is_not(None),
            m.User.email == func.lower(m.Agent.email),
        )
        .order_by(m.User.id)
    )
    found: dict[str, list[tuple[m.User, str]]] = {}
    for user, code, name in rows:
        found.setdefault(code, []).append((user, name))
    return found


def _body(
    agent_name: str,
    period_name: str,
    after_id: int,
    before_id: int | None,
    changes: tuple[ShiftChange, ...],
    zones: dict[str, str],
) -> str:
    if before_id is None:
        intro = (
            f"Your shifts in {period_name} are published (roster version {after_id}), "
            "in your local time:"
        )
    else:
        intro = (
            f"The published roster of {period_name} changed (version {after_id} replaces "
            f"version {before_id}). What changed for you, in your local time:"
        )
    lines = [f"Hello {agent_name},", "", intro, ""]
    for change in changes[:MAX_LINES]:
        lines.append(_line(change, zones, first=before_id is None))
    if len(changes) > MAX_LINES:
        lines.append(f"... and {len(changes) - MAX_LINES} more: see all your shifts on the page.")
    lines += ["", "All your shifts, with time off and holidays:"]
    return "\n".join(lines)


def _line(change: ShiftChange, zones: dict[str, str], first: bool) -> str:
    if change.kind == ADDED:
        label = "" if first else "added:    "
        return f"  {label}{_shift(change.after, zones)}"
    if change.kind == REMOVED:
        return f"  removed:  {_shift(change.before, zones)} (no longer yours)"
    assert change.kind == MOVED
    return f"  moved:    {_shift(change.before, zones)}\n        to  {_shift(change.after, zones)}"


def _shift(shift: Assignment | None, zones: dict[str, str]) -> str:
    assert shift is not None
    zone = zones.get(shift.site_id, "UTC")
    return f"{local_span(shift.start_utc, shift.end_utc, zone)}  {shift.shift_id}"
