"""Revert: publish an earlier version of a period again, exactly its shifts, checked
against today's data, history and neighbours, with a before/after account of what
changes for whom.

The earlier version is copied into a new draft (its shifts and locks exactly; its
coverage, gaps and summary recomputed from the period's data now, so the checker
judges it as it would any draft), and that draft is published by ``publish``: the
rules, both seams and the overlap with other periods are checked again. A refused
revert leaves the draft (named in the error) for the planner to fix or drop.
"""

from __future__ import annotations

from collections import defaultdict
from types import EllipsisType
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from scheduler.domain import Assignment
from scheduler.jobs.run import locked_keys
from scheduler.services.common import user_or_none
from scheduler.services.errors import Conflict, InvalidInput, NotFound
from scheduler.services.publishing import publish
from scheduler.services.rebuild import rebuild_roster
from scheduler.storage import models as m
from scheduler.storage import period_mapper, repository, roster_mapper
from scheduler.storage.db import unit_of_work

SHOWN_PER_AGENT = 31
"""Shifts listed per agent and side in a summary (the counts are always complete)."""


def revert_preview(sessions: sessionmaker[Session], version_id: int) -> dict[str, Any]:
    """What re-publishing ``version_id`` would change against the published version:
    ``{version_id, published_id, kept, removed, added, agents: [{agent_id, removed,
    added}]}`` (shifts as "YYYY-MM-DD shift")."""
    with unit_of_work(sessions) as session:
        version, published = _revertible(session, version_id)
        before = roster_mapper.to_domain(session, published.id).assignments if published else ()
        after = roster_mapper.to_domain(session, version_id).assignments
        return {
            "version_id": version_id,
            "published_id": published.id if published else None,
            **changes_for_whom(before, after),
        }


def revert(
    sessions: sessionmaker[Session],
    version_id: int,
    user_id: int | None,
    expected_published_id: int | None | EllipsisType = ...,
) -> dict[str, Any]:
    """Publish ``version_id``'s shifts again as a new version; returns the published
    version (as ``publish`` does) plus ``reverted_from`` and the ``changes`` for whom.

    ``InvalidInput`` (a rule or a seam broken with today's data) and ``Conflict``
    (another publish meanwhile, an overlapping period) publish nothing."""
    with unit_of_work(sessions) as session:
        user = user_or_none(session, user_id)
        version, published = _revertible(session, version_id)
        if expected_published_id is not ... and expected_published_id != (
            published.id if published else None
        ):
            raise Conflict(
                f"version {published.id if published else 'none'} is published now, not "
                f"{expected_published_id}: reload and decide again",
                {"published_id": published.id if published else None},
            )
        scenario = period_mapper.to_domain(session, version.period_id)
        earlier = roster_mapper.to_domain(session, version_id)
        before = roster_mapper.to_domain(session, published.id).assignments if published else ()
        rebuilt = rebuild_roster(scenario, earlier.assignments, dict(version.summary), before)
        rebuilt.roster.summary["reverted_from"] = version_id
        draft = roster_mapper.from_domain(
            session,
            version.period_id,
            rebuilt.roster,
            rebuilt.gaps,
            created_by=user,
            parent=version,
            locked=locked_keys(session, version_id),
        )
        session.flush()
        repository.record_audit(
            session,
            user,
            "roster.revert",
            "roster_version",
            draft.id,
            {"period_id": version.period_id, "reverted_from": version_id},
        )
        draft_id, counter = draft.id, draft.version_id
        published_id = published.id if published else None
        changes = changes_for_whom(before, earlier.assignments)
    try:
        result = publish(sessions, draft_id, user_id, counter, published_id)
    except InvalidInput as refused:
        raise InvalidInput(
            f"reverting to version {version_id} refused: {refused} (its copy is draft "
            f"version {draft_id})",
            refused.errors,
        ) from refused
    return result | {"reverted_from": version_id, "changes": changes}


def _revertible(
    session: Session, version_id: int
) -> tuple[m.RosterVersion, m.RosterVersion | None]:
    version = session.get(m.RosterVersion, version_id)
    if version is None:
        raise NotFound(f"no roster version with id {version_id}")
    published = repository.published_version(session, version.period_id)
    if version.state != "superseded":
        raise Conflict(
            f"version {version_id} is {version.state}: only a formerly published (superseded) "
            "version is reverted to; publish a draft directly",
            {"published_id": published.id if published else None},
        )
    return version, published


def changes_for_whom(
    before: tuple[Assignment, ...] | list[Assignment],
    after: tuple[Assignment, ...] | list[Assignment],
) -> dict[str, Any]:
    """Shifts kept, removed and added, and per agent which ones."""
    old = {(a.agent_id, a.date, a.shift_id) for a in before}
    new = {(a.agent_id, a.date, a.shift_id) for a in after}
    per_agent: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"removed": [], "added": []})
    for side, keys in (("removed", old - new), ("added", new - old)):
        for agent, day, shift in sorted(keys):
            per_agent[agent][side].append(f"{day.isoformat()} {shift}")
    return {
        "kept": len(old & new),
        "removed": len(old - new),
        "added": len(new - old),
        "agents": [
            {
                "agent_id": agent,
                "removed": sides["removed"][:SHOWN_PER_AGENT],
                "added": sides["added"][:SHOWN_PER_AGENT],
            }
            for agent, sides in sorted(per_agent.items())
        ],
    }
