"""Swaps as JSON-ready records, and the lists agents and planners read.

Shift times are the site's local times with their UTC offset (rebuilt from the shift
template and the site's zone, as rosters are), so a page or a mail shows what the
agent's clock says on that date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from calendars.zones import shift_instants
from scheduler.domain import Assignment
from scheduler.services.common import iso
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.models_swaps import SWAP_STATES, ShiftSwap

SWAP_PAGE_PATH = "/me/swaps"
MAX_LISTED = 500
"""Swaps a list returns at most (newest first)."""


def swap_link(swap_id: int) -> str:
    """The path of the page where the swap is seen (the mail's link)."""
    return f"{SWAP_PAGE_PATH}#swap-{swap_id}"


def shift_text(shift: Assignment) -> str:
    """``2027-06-08 s0 07:00-16:00 (UTC+01:00)``: the local times with the offset."""
    return _times(shift.date, shift.shift_id, shift.start_local, shift.end_local)


def _times(day: date, code: str, start, end) -> str:
    offset = start.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if offset else ""
    ends = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    return f"{day.isoformat()} {code} {start:%H:%M}-{ends} (UTC{offset})"


def shift_of(session: Session, agent: m.Agent, day: date | None, code: str | None) -> dict | None:
    """A swapped shift as a record: date, shift code, local start and end with offset
    at the agent's site (None: no shift, a give-away)."""
    if day is None or code is None:
        return None
    template = session.scalar(select(m.ShiftTemplate).filter_by(site_id=agent.site_id, code=code))
    record: dict[str, Any] = {"date": day.isoformat(), "shift": code, "site": agent.site.code}
    if template is not None:
        instants = shift_instants(agent.site.timezone, day, template.start, template.hours)
        if instants is not None:
            record |= {
                "start_utc": iso(instants.start_utc),
                "end_utc": iso(instants.end_utc),
                "start_local": instants.start_local.isoformat(),
                "end_local": instants.end_local.isoformat(),
                "text": _times(day, code, instants.start_local, instants.end_local),
            }
    record.setdefault("text", f"{day.isoformat()} {code}")
    return record


def swap_view(session: Session, swap: ShiftSwap) -> dict[str, Any]:
    """The swap as the API and the pages show it."""
    session.refresh(swap)
    offerer, colleague = swap.offerer, swap.colleague
    return {
        "id": swap.id,
        "period_id": swap.period_id,
        "state": swap.state,
        "offerer": {"agent_id": offerer.code, "name": offerer.name},
        "colleague": {"agent_id": colleague.code, "name": colleague.name},
        "offered": shift_of(session, offerer, swap.offered_date, swap.offered_shift),
        "wanted": shift_of(session, colleague, swap.wanted_date, swap.wanted_shift),
        "give_away": swap.wanted_date is None,
        "note": swap.note,
        "reason": swap.reason,
        "findings": swap.findings or {},
        "created_at": iso(swap.created_at),
        "answered_at": iso(swap.answered_at),
        "decided_at": iso(swap.decided_at),
        "base_version_id": swap.base_version_id,
        "result_version_id": swap.result_version_id,
    }


def my_swaps(session: Session, user: m.User) -> list[dict[str, Any]]:
    """The agent user's swaps, offered and received, newest first."""
    offerer, colleague = aliased(m.Agent), aliased(m.Agent)
    query = (
        select(ShiftSwap)
        .join(offerer, ShiftSwap.offerer_id == offerer.id)
        .join(colleague, ShiftSwap.colleague_id == colleague.id)
        .where(or_(_is(user, offerer), _is(user, colleague)))
        .order_by(ShiftSwap.id.desc())
        .limit(MAX_LISTED)
    )
    return [swap_view(session, swap) for swap in session.scalars(query)]


def _is(user: m.User, agent) -> Any:
    same_code = agent.code == (user.agent_code or "")
    if not user.email:
        return same_code
    return and_(same_code, func.lower(agent.email) == user.email)


def period_swaps(session: Session, period_id: int, state: str | None = None) -> list[dict]:
    """A period's swaps for its planners, newest first (``state`` filters)."""
    query = select(ShiftSwap).filter_by(period_id=period_id)
    if state is not None:
        if state not in SWAP_STATES:
            raise ValueError(f"state must be one of {', '.join(SWAP_STATES)}")
        query = query.filter_by(state=state)
    query = query.order_by(ShiftSwap.id.desc()).limit(MAX_LISTED)
    return [swap_view(session, swap) for swap in session.scalars(query)]


def published_shifts_of(session: Session, agent: m.Agent) -> list[m.Assignment]:
    """An agent's shifts in his period's published roster, by start (for offering)."""
    published = repository.published_version(session, agent.period_id)
    if published is None:
        return []
    return list(
        session.scalars(
            select(m.Assignment)
            .filter_by(roster_version_id=published.id, agent_id=agent.id)
            .order_by(m.Assignment.start_utc)
        )
    )
