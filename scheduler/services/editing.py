"""Hand edits after a solve: pin, add and remove shifts, record a sick call.

Edits change a draft in place. Editing the published roster first copies it
into a new draft (published rosters never change under the agents' feet; the
planner publishes the copy when ready). Every edit returns an ``Edit``: the
draft that was changed, the edited assignment's row in that draft (its id
differs from the one given when the draft is a new copy) and the version it
was copied from. Every edit re-checks the affected agent's hard
rules and refuses one that would break a rule it did not already break, then
recomputes coverage, gaps and summary so the draft still passes the checker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from calendars.zones import shift_instants
from scheduler.checker.context import CheckContext
from scheduler.checker.rules import check_rules
from scheduler.domain import Assignment, Roster, Scenario
from scheduler.gaps import Gap
from scheduler.jobs.run import locked_keys
from scheduler.services.common import user_or_none, version_view, violation_dict
from scheduler.services.edit_basis import (
    DraftState,
    EditBasis,
    draft_key,
    edit_basis,
    keep_draft,
    kept_draft,
    published_shifts,
)
from scheduler.services.errors import Conflict, InvalidInput, NotFound
from scheduler.services.rebuild import rebuild_after_edit, rebuild_roster
from scheduler.storage import models as m
from scheduler.storage import repository
from scheduler.storage.db import unit_of_work
from scheduler.storage.scenario_store import (
    load_gaps,
    load_roster,
    refresh_data_hash,
    replace_roster_results,
    save_roster,
)

Key = tuple[str, date, str]
"""(agent code, local date, shift code): an assignment across versions."""


@dataclass(frozen=True)
class Edit:
    """What an edit changed, so a client can follow it into a new draft copy."""

    version_id: int
    """The draft that was changed (a new one when a published version was edited)."""
    assignment_id: int | None
    """The edited assignment's row in that draft; None when it was removed."""
    copied_from_id: int | None = None
    """The published version the draft was copied from by this edit, if it was."""


@dataclass
class Draft:
    """The draft an edit changes, with the scenario and roster read once."""

    version: m.RosterVersion
    scenario: Scenario
    roster: Roster
    copied_from: m.RosterVersion | None
    basis: EditBasis
    """The scenario with its requirements, solver problem and kept reasons."""
    gaps: list[Gap] | None = None
    """The draft's gaps when kept by this process (else read when needed)."""


def set_locked(
    sessions: sessionmaker[Session], assignment_id: int, locked: bool, user_id: int | None
) -> Edit:
    """Pin (or unpin) a shift so re-solves keep it; ``Edit.assignment_id`` is the
    pinned row in the edited draft."""

    def edit(session: Session, draft: Draft, row: m.Assignment | None) -> Change:
        row.locked = locked
        return Change({"assignment": _key_text(_row_key(session, row)), "locked": locked}, row)

    return _edit(
        sessions,
        user_id,
        "roster.lock" if locked else "roster.unlock",
        version_of=_version_of_assignment(assignment_id),
        assignment_id=assignment_id,
        edit=edit,
        changes_roster=False,
    )


def add_assignment(
    sessions: sessionmaker[Session],
    version_id: int,
    agent_code: str,
    date: date,
    shift_code: str,
    user_id: int | None,
    locked: bool = True,
) -> Edit:
    """Give an agent a shift (pinned by default: a planner placed it on purpose);
    ``Edit.assignment_id`` is the new row. ``InvalidInput`` names every rule it
    would break (the rule is each error's ``field``)."""

    def edit(session: Session, draft: Draft, _row: m.Assignment | None) -> Change:
        agent = _agent_row(session, draft.version.period_id, agent_code)
        shift = _assignment(draft.scenario, agent_code, date, shift_code)
        _refuse_new_violations(
            draft.scenario, draft.roster.assignments, [*draft.roster.assignments, shift], agent_code
        )
        added = m.Assignment(
            roster_version_id=draft.version.id,
            agent_id=agent.id,
            site_id=agent.site_id,
            local_date=date,
            shift_code=shift_code,
            start_utc=shift.start_utc,
            end_utc=shift.end_utc,
            locked=locked,
        )
        session.add(added)
        draft.roster = Roster((*draft.roster.assignments, shift), (), draft.roster.summary)
        details = {"assignment": _key_text((agent_code, date, shift_code)), "locked": locked}
        return Change(details, added)

    return _edit(
        sessions,
        user_id,
        "roster.add_shift",
        version_of=lambda _s: version_id,
        assignment_id=None,
        edit=edit,
        changes_roster=True,
    )


def remove_assignment(
    sessions: sessionmaker[Session], assignment_id: int, user_id: int | None
) -> Edit:
    """Take a shift off the roster (``Edit.assignment_id`` is None)."""

    def edit(session: Session, draft: Draft, row: m.Assignment | None) -> Change:
        key = _row_key(session, row)
        kept = [a for a in draft.roster.assignments if _key(a) != key]
        _refuse_new_violations(draft.scenario, draft.roster.assignments, kept, key[0])
        session.delete(row)
        draft.roster = Roster(tuple(kept), (), draft.roster.summary)
        return Change({"assignment": _key_text(key), "was_locked": row.locked}, None)

    return _edit(
        sessions,
        user_id,
        "roster.remove_shift",
        version_of=_version_of_assignment(assignment_id),
        assignment_id=assignment_id,
        edit=edit,
        changes_roster=True,
    )


def record_time_off(
    sessions: sessionmaker[Session],
    period_id: int,
    agent_code: str,
    start_date: date,
    end_date: date,
    reason: str,
    user_id: int | None,
) -> int:
    """Record an absence (a sick call) on the period; returns the time-off id.

    Rosters are not changed: the published one now shows the agent's shifts on
    those dates as time-off violations until a re-solve (``resolve``) replaces it.
    """
    if end_date < start_date:
        raise InvalidInput(
            "time off ends before it starts",
            [
                {
                    "file": "time_off",
                    "line": None,
                    "field": "end_date",
                    "value": end_date.isoformat(),
                    "expected": f"a date on or after start_date {start_date.isoformat()}",
                    "message": f"end_date {end_date} is before start_date {start_date}",
                }
            ],
        )
    with unit_of_work(sessions) as session:
        user = user_or_none(session, user_id)
        agent = _agent_row(session, period_id, agent_code)
        position = session.scalar(
            select(func.max(m.TimeOff.position))
            .join(m.Agent, m.TimeOff.agent_id == m.Agent.id)
            .where(m.Agent.period_id == period_id)
        )
        absence = m.TimeOff(
            agent_id=agent.id,
            position=0 if position is None else position + 1,
            start_date=start_date,
            end_date=end_date,
            reason=reason,
            origin="app",
        )
        session.add(absence)
        session.flush()
        refresh_data_hash(session, session.get(m.PlanningPeriod, period_id))
        published = repository.published_version(session, period_id)
        affected = 0
        if published is not None:
            affected = session.scalar(
                select(func.count(m.Assignment.id)).where(
                    m.Assignment.roster_version_id == published.id,
                    m.Assignment.agent_id == agent.id,
                    m.Assignment.local_date.between(start_date, end_date),
                )
            )
        repository.record_audit(
            session,
            user,
            "time_off.record",
            "agent",
            agent_code,
            {
                "period_id": period_id,
                "start_date": start_date.isoformat(),
                "end_date": end_date.isoformat(),
                "reason": reason,
                "published_shifts_affected": affected,
            },
        )
        return absence.id


# --- the edit transaction ------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One edit's audit details and the assignment row it leaves (None: removed)."""

    details: dict[str, Any]
    row: m.Assignment | None


def _edit(
    sessions: sessionmaker[Session],
    user_id: int | None,
    action: str,
    version_of: Callable[[Session], int],
    assignment_id: int | None,
    edit: Callable[[Session, Draft, m.Assignment | None], Change],
    changes_roster: bool,
) -> Edit:
    try:
        with unit_of_work(sessions) as session:
            user = user_or_none(session, user_id)
            draft = _draft_for(session, version_of(session), user)
            # Take the draft first: the conditional UPDATE of its counter waits for a
            # concurrent edit and then matches no row (StaleDataError -> Conflict),
            # before this edit writes coverage rows the other one is replacing too.
            flag_modified(draft.version, "summary")
            session.flush()
            row = None
            if assignment_id is not None:
                row = _row_in_draft(session, assignment_id, draft)
            before = draft.roster
            change = edit(session, draft, row)
            details = change.details
            session.flush()
            state = _store_derived(session, draft, before) if changes_roster else None
            flag_modified(draft.version, "summary")  # bumps the optimistic version counter
            session.flush()
            if draft.copied_from is not None:
                details["copied_from"] = draft.copied_from.id
            repository.record_audit(
                session, user, action, "roster_version", draft.version.id, details
            )
            done = Edit(
                version_id=draft.version.id,
                assignment_id=change.row.id if change.row is not None else None,
                copied_from_id=draft.copied_from.id if draft.copied_from is not None else None,
            )
            key = draft_key(draft.version, draft.basis)
        if state is not None:  # committed: the draft holds this state at this counter
            keep_draft(key, state)
        return done
    except (StaleDataError, IntegrityError) as clash:
        # StaleDataError: the draft's counter moved; IntegrityError: two edits of the
        # published version both copied it and the second copy's number was taken
        with unit_of_work(sessions) as session:
            version = session.get(m.RosterVersion, version_of(session))
            current = version_view(version) if version else {}
        raise Conflict(
            "the draft was changed by someone else meanwhile; reload it", current
        ) from clash


def _version_of_assignment(assignment_id: int) -> Callable[[Session], int]:
    def version_of(session: Session) -> int:
        version_id = session.scalar(
            select(m.Assignment.roster_version_id).where(m.Assignment.id == assignment_id)
        )
        if version_id is None:
            raise NotFound(f"no assignment with id {assignment_id}")
        return version_id

    return version_of


def _draft_for(session: Session, version_id: int, user: m.User | None) -> Draft:
    """The draft to edit: the version itself, or a new draft copy of a published one."""
    version = session.get(m.RosterVersion, version_id)
    if version is None:
        raise NotFound(f"no roster version with id {version_id}")
    basis = edit_basis(session, version.period_id)
    scenario = basis.scenario
    if version.state == "draft":
        kept = kept_draft(draft_key(version, basis))
        if kept is None:
            return Draft(version, scenario, load_roster(session, version.id), None, basis)
        roster = Roster(kept.assignments, kept.coverage, version.summary)
        return Draft(version, scenario, roster, None, basis, list(kept.gaps))
    if version.state == "superseded":
        published = repository.published_version(session, version.period_id)
        raise Conflict(
            f"version {version_id} is superseded; edit the published version or a draft",
            version_view(published) if published else {},
        )
    # Two edits of the published version at once: both bump its counter, the second
    # UPDATE matches no row (StaleDataError -> Conflict), so only one draft copy appears.
    flag_modified(version, "summary")
    session.flush()
    roster = load_roster(session, version.id)
    copy = save_roster(
        session,
        version.period_id,
        roster,
        load_gaps(session, version.id),
        created_by=user,
        parent=version,
        locked=locked_keys(session, version.id),
        data_hash=version.data_hash,
        history_version_id=version.history_version_id,
    )
    session.flush()
    repository.record_audit(
        session, user, "roster.copy", "roster_version", copy.id, {"copied_from": version.id}
    )
    return Draft(copy, scenario, roster, version, basis)


def _row_in_draft(session: Session, assignment_id: int, draft: Draft) -> m.Assignment:
    """The assignment row to edit, in the draft (the copy's row when the id was in the
    published version)."""
    row = session.get(m.Assignment, assignment_id)
    if draft.copied_from is None:
        return row
    copy = session.scalar(
        select(m.Assignment).where(
            m.Assignment.roster_version_id == draft.version.id,
            m.Assignment.agent_id == row.agent_id,
            m.Assignment.local_date == row.local_date,
            m.Assignment.shift_code == row.shift_code,
        )
    )
    if copy is None:  # cannot happen: the copy holds every shift of its source
        raise NotFound(f"assignment {assignment_id} not found in the draft copy")
    return copy


def _store_derived(session: Session, draft: Draft, before: Roster) -> DraftState:
    """Replace the draft's coverage, gaps and summary by those of its edited shifts,
    recomputing only around the changed shifts (``rebuild_after_edit``); returns the
    draft's new state."""
    previous = None
    if draft.version.parent_id is not None:
        parent = session.get(m.RosterVersion, draft.version.parent_id)
        if parent is not None and parent.state == "published":
            previous = published_shifts(session, parent, draft.basis)
    basis = draft.basis
    languages = None  # coverage of every language written again
    _, data_hash = basis.stamp[1:]
    if (draft.version.data_hash, draft.version.history_version_id) != (
        data_hash,
        basis.history_version_id,
    ):
        # the draft's figures came from older data (an absence recorded, a re-import,
        # the previous period re-published since): what an incremental rebuild would
        # keep is stale, so everything is computed again from the data as it is now
        rebuilt = rebuild_roster(
            draft.scenario, draft.roster.assignments, draft.version.summary, previous
        )
    else:
        gaps = draft.gaps if draft.gaps is not None else load_gaps(session, draft.version.id)
        rebuilt = rebuild_after_edit(
            draft.scenario,
            before,
            gaps,
            draft.roster.assignments,
            draft.version.summary,
            previous,
            basis.prepared,
        )
        # before's coverage is what the database holds; rows the edit did not reallocate
        # are the same objects, so only the languages of rows that differ are written
        if len(rebuilt.roster.coverage) == len(before.coverage):
            languages = set()
            for row, old in zip(rebuilt.roster.coverage, before.coverage, strict=True):
                if row is not old and row != old:
                    languages.update((row.language, old.language))
    replace_roster_results(session, draft.version.id, rebuilt.roster, rebuilt.gaps, languages)
    return DraftState(rebuilt.roster.assignments, rebuilt.roster.coverage, tuple(rebuilt.gaps))


# --- rules ---------------------------------------------------------------------------------


def _refuse_new_violations(
    scenario: Scenario,
    before: tuple[Assignment, ...] | list[Assignment],
    after: tuple[Assignment, ...] | list[Assignment],
    agent_code: str,
) -> None:
    """Refuse an edit that breaks a rule for the agent; rules he already broke
    before (a sick call on a published shift) do not block fixing other things."""
    had = {(v.rule, v.date) for v in _agent_violations(scenario, before, agent_code)}
    new = [v for v in _agent_violations(scenario, after, agent_code) if (v.rule, v.date) not in had]
    if new:
        rules = ", ".join(sorted({v.rule for v in new}))
        raise InvalidInput(
            f"refused: the edit breaks {rules} for {agent_code}", [violation_dict(v) for v in new]
        )


def _agent_violations(scenario: Scenario, assignments, agent_code: str) -> list:
    own = tuple(a for a in assignments if a.agent_id == agent_code)
    return check_rules(CheckContext(scenario, Roster(own, (), {})))


def _assignment(scenario: Scenario, agent_code: str, day: date, shift_code: str) -> Assignment:
    agent = scenario.agent(agent_code)
    site = scenario.site_of(agent)
    template = next((s for s in site.shifts if s.id == shift_code), None)
    if template is None:
        codes = ", ".join(s.id for s in site.shifts)
        raise _bad_field("shift_code", shift_code, f"a shift of site {site.id}: {codes}")
    instants = shift_instants(site.timezone, day, template.start, template.hours)
    if instants is None:
        raise _bad_field(
            "date", day.isoformat(), f"a date on which {shift_code} exists at {site.timezone}"
        )
    return Assignment(
        agent_id=agent_code,
        site_id=site.id,
        date=day,
        shift_id=shift_code,
        start_utc=instants.start_utc,
        end_utc=instants.end_utc,
        start_local=instants.start_local,
        end_local=instants.end_local,
    )


def _bad_field(field: str, value: str, expected: str) -> InvalidInput:
    return InvalidInput(
        f"{field} {value!r} is not valid (expected {expected})",
        [
            {
                "file": "assignment",
                "line": None,
                "field": field,
                "value": value,
                "expected": expected,
                "message": f"{field} {value!r} is not valid (expected {expected})",
            }
        ],
    )


def _agent_row(session: Session, period_id: int, agent_code: str) -> m.Agent:
    agent = session.scalar(
        select(m.Agent).filter_by(period_id=period_id, code=agent_code, active=True)
    )
    if agent is None:
        raise NotFound(f"no agent {agent_code!r} in period {period_id}")
    return agent


def _row_key(session: Session, row: m.Assignment) -> Key:
    code = session.scalar(select(m.Agent.code).where(m.Agent.id == row.agent_id))
    return (code, row.local_date, row.shift_code)


def _key(a: Assignment) -> Key:
    return (a.agent_id, a.date, a.shift_id)


def _key_text(key: Key) -> str:
    return f"{key[0]} {key[1].isoformat()} {key[2]}"
