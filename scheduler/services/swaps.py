"""Shift swaps: an agent offers one of his published shifts to a named colleague, for one
of hers or for nothing; she accepts or declines; he may withdraw while she has not
answered. Every step is judged on the published roster as it is then
(``swap_check.judge``): a swap that breaks a hard rule is refused with the rule named;
one that breaks none and loses no coverage is approved by itself when the period's
setting allows (default on); any other waits for a planner with the reason.

An approved swap is a new published version that differs from the published one in
exactly the moved shifts: a draft copy with the swap applied, published by
``publish`` (the whole checker, both seams) with the swap marked approved in the same
transaction. Races are the database's: an open swap holds its shifts in
``swap_claims`` (primary key per agent and date), a state change is a conditional
UPDATE from the state it was read in, and the publish expects the published version
the swap was judged on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from scheduler.domain import Assignment
from scheduler.jobs.run import locked_keys
from scheduler.services import notifications
from scheduler.services.common import user_or_none
from scheduler.services.edit_basis import figures_current
from scheduler.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from scheduler.services.publishing import publish
from scheduler.services.rebuild import rebuild_after_edit, rebuild_roster
from scheduler.services.swap_check import SwapJudgement, SwapShifts, judge
from scheduler.services.swap_views import shift_of, shift_text, swap_link, swap_view
from scheduler.storage import models as m
from scheduler.storage import period_mapper, repository, roster_mapper
from scheduler.storage.db import unit_of_work
from scheduler.storage.models_swaps import (
    AUTO_APPROVE_DEFAULT,
    ShiftSwap,
    SwapClaim,
    SwapSetting,
)

MAX_NOTE_CHARS = 500


# --- offering ------------------------------------------------------------------------------


def offer_swap(
    sessions: sessionmaker[Session],
    user_id: int,
    period_id: int,
    offered_date: date,
    colleague_code: str,
    wanted_date: date | None = None,
    note: str = "",
) -> dict[str, Any]:
    """The agent user's offer of his shift on ``offered_date`` to ``colleague_code``, for
    her shift on ``wanted_date`` (None: he gives it away). ``InvalidInput`` names every
    hard rule the swap would break (nothing is stored); ``Conflict`` when one of the
    shifts is held by another open swap."""
    note = _checked_note(note)
    try:
        with unit_of_work(sessions) as session:
            user = _agent_user(session, user_id)
            offerer = _users_agent(session, user, period_id)
            colleague = _colleague(session, period_id, colleague_code, offerer)
            published = _published(session, period_id)
            scenario = period_mapper.to_domain(session, period_id)
            roster = roster_mapper.to_domain(session, published.id)
            shifts = _shifts(roster.assignments, offerer, offered_date, colleague, wanted_date)
            _refuse_held(session, (offerer.id, offered_date), (colleague.id, wanted_date))
            judgement = judge(scenario, roster.assignments, shifts)
            if judgement.violations:
                raise InvalidInput(
                    f"refused: the swap breaks {judgement.reason()}",
                    [_rule_error(v) for v in judgement.findings()["violations"]],
                )
            swap = ShiftSwap(
                period_id=period_id,
                offerer_id=offerer.id,
                offered_date=offered_date,
                offered_shift=shifts.offered.shift_id,
                colleague_id=colleague.id,
                wanted_date=wanted_date,
                wanted_shift=shifts.wanted.shift_id if shifts.wanted else None,
                note=note,
                state="pending",
                findings=judgement.findings(),
                created_by_id=user.id,
                base_version_id=published.id,
            )
            session.add(swap)
            session.flush()
            _claim(session, swap)
            repository.record_audit(
                session,
                user,
                "swap.offer",
                "shift_swap",
                swap.id,
                {"period_id": period_id, "shifts": _shift_texts(shifts)},
            )
            notifications.notify_agent(
                session,
                colleague.id,
                subject=f"{offerer.name} offers you a shift swap",
                body=_offer_body(offerer, shifts, note),
                kind="swap.offer",
                link=swap_link(swap.id),
            )
            session.flush()
            return swap_view(session, swap)
    except IntegrityError as clash:
        with unit_of_work(sessions) as session:
            raise _held(session, period_id, offered_date, wanted_date) from clash


def _claim(session: Session, swap: ShiftSwap) -> None:
    """Hold both shifts for this swap; the primary key refuses a shift another open
    swap holds (IntegrityError, turned into a Conflict naming that swap)."""
    session.add(SwapClaim(agent_id=swap.offerer_id, day=swap.offered_date, swap_id=swap.id))
    if swap.wanted_date is not None:
        session.add(SwapClaim(agent_id=swap.colleague_id, day=swap.wanted_date, swap_id=swap.id))
    session.flush()


def _refuse_held(session: Session, *shifts: tuple[int, date | None]) -> None:
    """A Conflict naming the open swap that holds one of these shifts already (the
    claims' primary key still decides between two offers at the same moment)."""
    for agent_id, day in shifts:
        if day is None:
            continue
        claim = session.get(SwapClaim, (agent_id, day))
        if claim is not None:
            code = session.get(m.Agent, agent_id).code
            raise Conflict(
                f"{code}'s shift on {day.isoformat()} is already in open swap "
                f"#{claim.swap_id}; it can be in one open swap at a time",
                {"swap_id": claim.swap_id},
            )


def _held(session: Session, period_id: int, *days: date | None) -> Conflict:
    rows = session.execute(
        select(SwapClaim.swap_id, SwapClaim.day, m.Agent.code)
        .join(m.Agent, SwapClaim.agent_id == m.Agent.id)
        .where(m.Agent.period_id == period_id, SwapClaim.day.in_([d for d in days if d]))
    ).all()
    if rows:
        swap_id, day, code = rows[0]
        return Conflict(
            f"{code}'s shift on {day.isoformat()} is already in open swap #{swap_id}; "
            "it can be in one open swap at a time",
            {"swap_id": swap_id},
        )
    return Conflict("one of the shifts was taken by another swap meanwhile; reload", {})


# --- the colleague's answer and the offerer's withdrawal ----------------------------------


def answer_swap(
    sessions: sessionmaker[Session], user_id: int, swap_id: int, accept: bool, reason: str = ""
) -> dict[str, Any]:
    """The colleague accepts or declines a pending swap. Accepted, it is judged again on
    the roster published now: refused (a hard rule, named; or a shift gone), approved and
    published (clean, auto-approval on), or left to a planner with the reason."""
    reason = _checked_note(reason, "reason")
    with unit_of_work(sessions) as session:
        user = _agent_user(session, user_id)
        swap = _swap_of(session, user, swap_id)
        if not repository_is(user, swap.colleague):
            raise Forbidden(f"only {swap.colleague.code} answers swap #{swap_id}")
        _require_state(swap, "pending")
        if not accept:
            _move(session, swap, "pending", "declined", reason=reason or "declined")
            swap.answered_at = m.utc_now()
            _audit(session, user, swap, "swap.decline", reason=reason)
            notifications.notify_agent(
                session,
                swap.offerer_id,
                subject=f"{swap.colleague.name} declined your shift swap",
                body=_decided_body(session, swap, "declined", reason),
                kind="swap.declined",
                link=swap_link(swap.id),
            )
            return swap_view(session, swap)
        swap.answered_at = m.utc_now()
        _audit(session, user, swap, "swap.accept")
    return _settle(sessions, swap_id, user_id, "pending", by_planner=False)


def withdraw_swap(sessions: sessionmaker[Session], user_id: int, swap_id: int) -> dict[str, Any]:
    """The offerer takes back a swap his colleague has not answered."""
    with unit_of_work(sessions) as session:
        user = _agent_user(session, user_id)
        swap = _swap_of(session, user, swap_id)
        if not repository_is(user, swap.offerer):
            raise Forbidden(f"only {swap.offerer.code} withdraws swap #{swap_id}")
        _require_state(swap, "pending")
        _move(session, swap, "pending", "withdrawn", reason="withdrawn by the offerer")
        _audit(session, user, swap, "swap.withdraw")
        notifications.notify_agent(
            session,
            swap.colleague_id,
            subject=f"{swap.offerer.name} withdrew a shift swap",
            body=_decided_body(session, swap, "withdrawn", ""),
            kind="swap.withdrawn",
            link=swap_link(swap.id),
        )
        return swap_view(session, swap)


# --- the planner ---------------------------------------------------------------------------


def decide_swap(
    sessions: sessionmaker[Session], user_id: int, swap_id: int, approve: bool, reason: str = ""
) -> dict[str, Any]:
    """A planner approves (judged again, published) or declines (with a reason both
    agents see) a swap that awaits him."""
    reason = _checked_note(reason, "reason")
    if not approve and not reason.strip():
        raise InvalidInput(
            "a declined swap needs a reason the agents see",
            [_field_error("reason", "", "a reason for declining")],
        )
    with unit_of_work(sessions) as session:
        user = user_or_none(session, user_id)
        swap = session.get(ShiftSwap, swap_id)
        if swap is None:
            raise NotFound(f"no swap with id {swap_id}")
        _require_state(swap, "awaiting_planner")
        if not approve:
            _move(session, swap, "awaiting_planner", "declined", reason=reason)
            swap.decided_at, swap.decided_by_id = m.utc_now(), user.id if user else None
            _audit(session, user, swap, "swap.decline", reason=reason)
            for agent_id in (swap.offerer_id, swap.colleague_id):
                notifications.notify_agent(
                    session,
                    agent_id,
                    subject="A planner declined a shift swap",
                    body=_decided_body(session, swap, "declined by a planner", reason),
                    kind="swap.declined",
                    link=swap_link(swap.id),
                )
            return swap_view(session, swap)
    return _settle(sessions, swap_id, user_id, "awaiting_planner", by_planner=True)


def auto_approve(session: Session, period_id: int) -> bool:
    setting = session.get(SwapSetting, period_id)
    return AUTO_APPROVE_DEFAULT if setting is None else setting.auto_approve


def set_auto_approve(
    sessions: sessionmaker[Session], user_id: int | None, period_id: int, on: bool
) -> dict[str, Any]:
    """Turn a period's auto-approval of clean swaps on or off."""
    with unit_of_work(sessions) as session:
        user = user_or_none(session, user_id)
        if session.get(m.PlanningPeriod, period_id) is None:
            raise NotFound(f"no planning period with id {period_id}")
        setting = session.get(SwapSetting, period_id)
        if setting is None:
            setting = SwapSetting(period_id=period_id, auto_approve=on)
            session.add(setting)
        setting.auto_approve = on
        repository.record_audit(
            session, user, "swap.settings", "planning_period", period_id, {"auto_approve": on}
        )
        return {"period_id": period_id, "auto_approve": on}


# --- settling an accepted swap -------------------------------------------------------------


def _settle(
    sessions: sessionmaker[Session], swap_id: int, user_id: int, state: str, by_planner: bool
) -> dict[str, Any]:
    """Judge the swap on the roster published now and refuse it, hand it to a planner,
    or publish it (a planner's approval, or a clean swap with auto-approval on)."""
    with unit_of_work(sessions) as session:
        user = user_or_none(session, user_id)
        swap = session.get(ShiftSwap, swap_id)
        published = repository.published_version(session, swap.period_id)
        if published is None:
            return _refuse(session, user, swap, state, "the period has no published roster now")
        scenario = period_mapper.to_domain(session, swap.period_id)
        roster = roster_mapper.to_domain(session, published.id)
        try:
            shifts = _shifts(
                roster.assignments,
                swap.offerer,
                swap.offered_date,
                swap.colleague,
                swap.wanted_date,
            )
        except (NotFound, InvalidInput) as gone:
            return _refuse(session, user, swap, state, f"the published roster changed: {gone}")
        if (shifts.offered.shift_id, shifts.wanted and shifts.wanted.shift_id) != (
            swap.offered_shift,
            swap.wanted_shift,
        ):
            return _refuse(session, user, swap, state, "the published roster changed its shifts")
        judgement = judge(scenario, roster.assignments, shifts)
        swap.findings = judgement.findings()
        if judgement.violations:
            return _refuse(session, user, swap, state, judgement.reason())
        if not by_planner and (judgement.losses or not auto_approve(session, swap.period_id)):
            why = judgement.reason() or "the period's swaps are approved by a planner"
            return _to_planner(session, swap, why)
        draft_id, counter = _draft(session, user, swap, published, scenario, roster, judgement)
        published_id = published.id
    try:
        return _publish_swap(sessions, swap_id, user_id, state, draft_id, counter, published_id)
    except InvalidInput as refused:
        _drop_draft(sessions, draft_id)
        with unit_of_work(sessions) as session:
            swap = session.get(ShiftSwap, swap_id)
            why = f"the roster cannot be published: {refused}"
            if by_planner:
                raise
            return _to_planner(session, swap, why)
    except Conflict:
        _drop_draft(sessions, draft_id)
        raise


def _draft(
    session: Session,
    user: m.User | None,
    swap: ShiftSwap,
    published: m.RosterVersion,
    scenario,
    roster,
    judgement: SwapJudgement,
) -> tuple[int, int]:
    """A draft copy of the published version with the swap applied (coverage, gaps and
    summary recomputed around the moved shifts); its id and counter."""
    if figures_current(session, published):
        rebuilt = rebuild_after_edit(
            scenario,
            roster,
            roster_mapper.load_gaps(session, published.id),
            judgement.after,
            dict(published.summary),
            roster.assignments,
        )
    else:  # the period's data changed since it was published (an absence, a re-import)
        rebuilt = rebuild_roster(
            scenario, judgement.after, dict(published.summary), roster.assignments
        )
    rebuilt.roster.summary["swap_id"] = swap.id
    moved = {
        (swap.offerer.code, swap.offered_date): (swap.colleague.code, swap.offered_date),
    }
    if swap.wanted_date is not None:
        moved[(swap.colleague.code, swap.wanted_date)] = (swap.offerer.code, swap.wanted_date)
    locked = {moved.get(key, key) for key in locked_keys(session, published.id)}
    draft = roster_mapper.from_domain(
        session,
        swap.period_id,
        rebuilt.roster,
        rebuilt.gaps,
        created_by=user,
        parent=published,
        locked=locked,
        data_hash=published.data_hash,
        history_version_id=published.history_version_id,
    )
    session.flush()
    repository.record_audit(
        session,
        user,
        "roster.swap",
        "roster_version",
        draft.id,
        {"copied_from": published.id, "swap_id": swap.id},
    )
    return draft.id, draft.version_id


def _publish_swap(
    sessions: sessionmaker[Session],
    swap_id: int,
    user_id: int,
    state: str,
    draft_id: int,
    counter: int,
    published_id: int,
) -> dict[str, Any]:
    def approve(session: Session) -> None:
        swap = session.get(ShiftSwap, swap_id)
        user = user_or_none(session, user_id)
        _move(session, swap, state, "approved", reason="")
        swap.result_version_id = draft_id
        swap.decided_at = m.utc_now()
        swap.decided_by_id = user.id if user and user.role in ("planner", "admin") else None
        _audit(session, user, swap, "swap.approve", version_id=draft_id)
        for agent_id in (swap.offerer_id, swap.colleague_id):
            notifications.notify_agent(
                session,
                agent_id,
                subject="Shift swap approved",
                body=_decided_body(session, swap, "approved and published", ""),
                kind="swap.approved",
                link=swap_link(swap.id),
            )

    publish(sessions, draft_id, user_id, counter, published_id, within=approve, mail_agents=False)
    with unit_of_work(sessions) as session:
        return swap_view(session, session.get(ShiftSwap, swap_id))


def _drop_draft(sessions: sessionmaker[Session], draft_id: int) -> None:
    """Delete the swap's draft copy that was not published (nobody else knows it)."""
    with unit_of_work(sessions) as session:
        session.execute(
            delete(m.RosterVersion).where(
                m.RosterVersion.id == draft_id, m.RosterVersion.state == "draft"
            )
        )


def _refuse(
    session: Session, user: m.User | None, swap: ShiftSwap, state: str, why: str
) -> dict[str, Any]:
    _move(session, swap, state, "refused", reason=f"refused: {why}")
    swap.decided_at = m.utc_now()
    _audit(session, user, swap, "swap.refuse", reason=why)
    for agent_id in (swap.offerer_id, swap.colleague_id):
        notifications.notify_agent(
            session,
            agent_id,
            subject="Shift swap refused",
            body=_decided_body(session, swap, "refused", why),
            kind="swap.refused",
            link=swap_link(swap.id),
        )
    return swap_view(session, swap)


def _to_planner(session: Session, swap: ShiftSwap, why: str) -> dict[str, Any]:
    _move(session, swap, swap.state, "awaiting_planner", reason=why, release=False)
    notifications.notify_planners(
        session,
        subject=f"Shift swap #{swap.id} awaits your decision",
        body=f"{_swap_sentence(session, swap)}\nWhy it needs you: {why}",
        kind="swap.awaiting_planner",
        link=swap_link(swap.id),
    )
    notifications.notify_agent(
        session,
        swap.offerer_id,
        subject=f"{swap.colleague.name} accepted your shift swap",
        body=f"{_swap_sentence(session, swap)}\nIt now awaits a planner: {why}",
        kind="swap.accepted",
        link=swap_link(swap.id),
    )
    return swap_view(session, swap)


# --- state changes, the database deciding --------------------------------------------------


def _move(
    session: Session, swap: ShiftSwap, old: str, new: str, reason: str, release: bool = True
) -> None:
    """``old`` -> ``new`` with a conditional UPDATE: a swap someone else moved meanwhile
    matches no row and the caller's transaction ends in a Conflict. Closing a swap
    releases its shifts."""
    done = session.execute(
        update(ShiftSwap)
        .where(ShiftSwap.id == swap.id, ShiftSwap.state == old)
        .values(state=new, reason=reason)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        session.expire(swap)
        raise Conflict(
            f"swap #{swap.id} is {swap.state} now, no longer {old}: reload it",
            {"swap_id": swap.id, "state": swap.state},
        )
    session.expire(swap, ["state", "reason"])
    if release and new not in ("pending", "awaiting_planner"):
        session.execute(delete(SwapClaim).where(SwapClaim.swap_id == swap.id))


def _require_state(swap: ShiftSwap, state: str) -> None:
    if swap.state != state:
        raise Conflict(
            f"swap #{swap.id} is {swap.state}; only a {state} swap can be "
            + ("answered or withdrawn" if state == "pending" else "decided by a planner"),
            {"swap_id": swap.id, "state": swap.state},
        )


def _audit(session: Session, user: m.User | None, swap: ShiftSwap, action: str, **extra) -> None:
    repository.record_audit(
        session, user, action, "shift_swap", swap.id, {"period_id": swap.period_id, **extra}
    )


# --- who and which shifts ------------------------------------------------------------------


def _agent_user(session: Session, user_id: int) -> m.User:
    user = user_or_none(session, user_id)
    if user is None or user.role != "agent":
        raise Forbidden("only agents offer, answer and withdraw swaps, each for himself")
    return user


def repository_is(user: m.User, agent: m.Agent) -> bool:
    """Whether ``agent`` (a row of some period) is this user (his code, and his e-mail
    when he has one, as ``repository.is_the_users_agent`` matches)."""
    if agent.code != (user.agent_code or ""):
        return False
    return not user.email or agent.email.lower() == user.email


def _users_agent(session: Session, user: m.User, period_id: int) -> m.Agent:
    agent = session.scalar(
        select(m.Agent).where(
            m.Agent.period_id == period_id,
            m.Agent.active.is_(True),
            repository.is_the_users_agent(user),
        )
    )
    if agent is None:
        raise NotFound(f"you are not an agent of planning period {period_id}")
    return agent


def _colleague(session: Session, period_id: int, code: str, offerer: m.Agent) -> m.Agent:
    agent = session.scalar(select(m.Agent).filter_by(period_id=period_id, code=code, active=True))
    if agent is None:
        raise NotFound(f"no colleague {code!r} in this planning period")
    if agent.id == offerer.id:
        raise InvalidInput(
            "a swap is with a colleague, not with yourself",
            [_field_error("colleague", code, "another agent's id")],
        )
    return agent


def _swap_of(session: Session, user: m.User, swap_id: int) -> ShiftSwap:
    """The swap if this agent user is one of its two agents; 404 otherwise (another
    agent's swaps are not his to know of)."""
    swap = session.get(ShiftSwap, swap_id)
    if swap is None or not (
        repository_is(user, swap.offerer) or repository_is(user, swap.colleague)
    ):
        raise NotFound(f"no swap with id {swap_id}")
    return swap


def _published(session: Session, period_id: int) -> m.RosterVersion:
    if session.get(m.PlanningPeriod, period_id) is None:
        raise NotFound(f"no planning period with id {period_id}")
    published = repository.published_version(session, period_id)
    if published is None:
        raise Conflict(f"planning period {period_id} has no published roster to swap in", {})
    return published


def _shifts(
    assignments: Iterable[Assignment],
    offerer: m.Agent,
    offered_date: date,
    colleague: m.Agent,
    wanted_date: date | None,
) -> SwapShifts:
    by_key = {(a.agent_id, a.date): a for a in assignments}
    offered = by_key.get((offerer.code, offered_date))
    if offered is None:
        raise InvalidInput(
            f"{offerer.code} has no published shift on {offered_date.isoformat()}",
            [_field_error("date", offered_date.isoformat(), "a date of one of your shifts")],
        )
    wanted = None
    if wanted_date is not None:
        wanted = by_key.get((colleague.code, wanted_date))
        if wanted is None:
            raise InvalidInput(
                f"{colleague.code} has no published shift on {wanted_date.isoformat()}",
                [
                    _field_error(
                        "colleague_date", wanted_date.isoformat(), "a date of one of her shifts"
                    )
                ],
            )
    now = m.utc_now()
    for shift in (offered, wanted):
        if shift is not None and shift.start_utc <= now:
            raise InvalidInput(
                f"{shift_text(shift)} has started or is over; only future shifts are swapped",
                [_field_error("date", shift.date.isoformat(), "a shift that has not started")],
            )
    return SwapShifts(offerer.code, colleague.code, offered, wanted)


def _checked_note(text: str, name: str = "note") -> str:
    text = (text or "").strip()
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidInput(
            f"{name} is {len(text)} characters long, at most {MAX_NOTE_CHARS} are kept",
            [_field_error(name, text[:40] + "…", f"at most {MAX_NOTE_CHARS} characters")],
        )
    return text


def _field_error(field: str, value: str, expected: str) -> dict[str, Any]:
    return {
        "file": "swap",
        "line": None,
        "field": field,
        "value": value,
        "expected": expected,
        "message": f"{field} {value!r}: expected {expected}",
    }


def _rule_error(violation: dict[str, Any]) -> dict[str, Any]:
    return {
        "file": "swap",
        "line": None,
        "field": violation["rule"],
        "value": " ".join(p for p in (violation["agent_id"], violation["date"]) if p) or None,
        "expected": "a swap that keeps every hard rule for both agents",
        "message": violation["message"],
        "rule": violation["rule"],
        "agent_id": violation["agent_id"],
        "date": violation["date"],
        "detail": violation["detail"],
    }


# --- mail bodies (local times with their offsets) ------------------------------------------


def _shift_texts(shifts: SwapShifts) -> dict[str, str | None]:
    return {
        "offered": shift_text(shifts.offered),
        "wanted": shift_text(shifts.wanted) if shifts.wanted else None,
    }


def _offer_body(offerer: m.Agent, shifts: SwapShifts, note: str) -> str:
    lines = [f"{offerer.name} ({offerer.code}) offers you the shift {shift_text(shifts.offered)}"]
    if shifts.wanted is not None:
        lines.append(f"in exchange for your shift {shift_text(shifts.wanted)}.")
    else:
        lines.append("as a give-away (you work it, he does not).")
    if note:
        lines.append(f"Note: {note}")
    lines.append("Accept or decline it on your swaps page.")
    return "\n".join(lines)


def _swap_sentence(session: Session, swap: ShiftSwap) -> str:
    """The swap in words, its shifts in their site's local time with the offset."""
    offered = shift_of(session, swap.offerer, swap.offered_date, swap.offered_shift)
    text = (
        f"Swap #{swap.id}: {swap.offerer.name} ({swap.offerer.code}) gives "
        f"{swap.colleague.name} ({swap.colleague.code}) the shift {offered['text']}"
    )
    wanted = shift_of(session, swap.colleague, swap.wanted_date, swap.wanted_shift)
    if wanted is not None:
        text += f" in exchange for {wanted['text']}"
    return text + "."


def _decided_body(session: Session, swap: ShiftSwap, outcome: str, reason: str) -> str:
    body = f"{_swap_sentence(session, swap)}\nIt was {outcome}."
    if reason:
        body += f"\nReason: {reason}"
    return body
