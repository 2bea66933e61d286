"""What the pages, the API and the CLI say about periods that chain and rosters
whose data moved on: which roster a period follows, whether a roster is stale,
and the history.csv a published roster hands on to the next period.

Read-only, in the caller's session (the API's request session, a CLI unit of work).
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from scheduler.domain import HISTORY_DAYS
from scheduler.roster_io import write_roster_csv
from scheduler.services.errors import NotFound
from scheduler.storage import chain, roster_mapper
from scheduler.storage import models as m


def period_links(session: Session, period: m.PlanningPeriod) -> dict[str, Any]:
    """The period it follows (and the published roster whose last days are its
    history now), and the periods that follow it."""
    previous = chain.previous_period(session, period)
    return {
        "follows": None if previous is None else _link_dict(previous),
        "followed_by": [_link_dict(link) for link in chain.next_periods(session, period)],
    }


def _link_dict(link: chain.Link) -> dict[str, Any]:
    return {
        "period_id": link.period_id,
        "period_name": link.period_name,
        "published_version_id": link.version_id,
        "shared_agents": link.shared_agents,
    }


def roster_status(session: Session, version: m.RosterVersion) -> dict[str, Any]:
    """Whether a version's figures still match its period's data and history.

    ``stale``: the period's data (import, recorded absence) changed since the
    version's coverage, gaps and summary were computed (they are shown as they were
    then, never mixed with the new data); ``history_changed``: the previous
    period's published roster is not the one this version was computed after.
    ``messages`` say both in words, for every page and API answer that shows it."""
    period = version.period
    stale = version.data_hash != period.data_hash
    previous = chain.previous_period(session, period)
    now = previous.version_id if previous is not None else None
    history_changed = now != version.history_version_id
    messages = []
    if stale:
        messages.append(
            f"The period's data changed since version {version.id} was computed (a re-import "
            "or a recorded absence): its figures are those of the data it was solved with. "
            "Re-solve to see the period as it is now."
        )
    if history_changed:
        messages.append(_history_message(version, previous))
    return {
        "stale": stale,
        "history_changed": history_changed,
        "history_version_id": version.history_version_id,
        "messages": messages,
    }


def _history_message(version: m.RosterVersion, previous: chain.Link | None) -> str:
    was = (
        "without history"
        if version.history_version_id is None
        else f"after version {version.history_version_id} of the previous period"
    )
    if previous is None:
        now = "the period follows no other period now"
    elif previous.version_id is None:
        now = f"{previous.period_name!r} has no published roster now"
    else:
        now = f"{previous.period_name!r} is now published as version {previous.version_id}"
    return (
        f"Version {version.id} was computed {was}; {now}. Its publish re-checks the seam "
        "(refused if it now breaks a rule: re-solve, locked shifts are kept)."
    )


def history_csv(session: Session, version_id: int) -> tuple[str, str]:
    """(file name, text) of the history.csv a version hands on: its shifts of the last
    ``HISTORY_DAYS`` dates of its period, as roster.csv writes them (format v1.1)."""
    version = session.get(m.RosterVersion, version_id)
    if version is None:
        raise NotFound(f"no roster version with id {version_id}")
    first = chain.horizon_end(version.period) - timedelta(days=HISTORY_DAYS)
    shifts = [
        a for a in roster_mapper.to_domain(session, version_id).assignments if a.date >= first
    ]
    out = io.StringIO()
    write_roster_csv(out, shifts)
    return f"history-{_slug(version.period.name)}-v{version.id}.csv", out.getvalue()


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "period"
