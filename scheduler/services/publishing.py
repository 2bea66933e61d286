"""Publishing a roster version: checked first, then exactly one winner per period.

Optimistic versioning: the caller sends the ``version`` counter he saw
(``expected_version_id``); every edit bumps it. The publish is two conditional
UPDATEs in one transaction, the old published version superseded first and
then the draft published ``WHERE version_id = expected AND state = 'draft'``.
Two planners at once: the loser's UPDATE matches no row (same version), or the
one-published-per-period unique index refuses it (another version) -> Conflict
with the version that is published now.

Double rostering (another period's published roster on the same dates for some
of the same agents) is checked before, for a clear message, and refused by the
database itself in the publishing transaction: it claims a ``published_days``
row per agent and date, whose primary key lets only one of two concurrent
publishes of overlapping periods commit.

Each agent whose shifts changed against the previously published version is mailed
what changed (``scheduler.services.roster_mail``): worded before, queued in the
publishing transaction, so a publish that fails or loses sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from types import EllipsisType
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from scheduler.checker import check_roster
from scheduler.checker.context import CheckContext
from scheduler.checker.rules import check_rules
from scheduler.domain import Roster
from scheduler.services.common import user_or_none, version_view, violation_dict
from scheduler.services.errors import Conflict, InvalidInput, NotFound
from scheduler.services.import_report import overlaps
from scheduler.services.roster_mail import plan_roster_mails, queue_roster_mails
from scheduler.storage import chain, period_mapper, repository, roster_mapper
from scheduler.storage import models as m
from scheduler.storage.db import unit_of_work


def publish(
    sessions: sessionmaker[Session],
    version_id: int,
    user_id: int | None,
    expected_version_id: int,
    expected_published_id: int | None | EllipsisType = ...,
    within: Callable[[Session], None] | None = None,
    mail_agents: bool = True,
) -> dict[str, Any]:
    """Publish a draft after the independent checker passed it; the period's
    previously published version becomes superseded in the same transaction.

    ``within`` runs in the publishing transaction before it commits (a swap marks
    itself approved there, so the swap and its roster exist together or not at all;
    an error it raises publishes nothing).

    ``mail_agents``: mail each agent whose shifts changed (``roster_mail``); off for a
    caller that tells them itself (an approved swap's own mail names both shifts).

    ``expected_published_id`` is the version the planner saw published (None:
    none); a client that shows it should send it, so a publish by someone else
    since then is a Conflict however the two requests interleave. Left out, the
    published version read when this call starts is the one expected.

    Returns the published version (``version_view`` plus ``superseded_id``).
    ``InvalidInput`` lists every violation (nothing published); ``Conflict`` when
    the version changed since it was read or another publish won.
    """
    checked = _check_publishable(sessions, version_id, expected_version_id)
    period_id, seen = checked.period_id, checked.seen
    if expected_published_id is not ... and (seen[0] if seen else None) != expected_published_id:
        with unit_of_work(sessions) as session:
            raise _lost(session, period_id, version_id)
    mails = []
    if mail_agents:
        with unit_of_work(sessions) as session:  # read before the short writing transaction
            mails = plan_roster_mails(session, period_id, seen[0] if seen else None, version_id)
    try:
        with unit_of_work(sessions) as session:
            user = user_or_none(session, user_id)
            queue_roster_mails(session, mails)  # first: whatever fails below takes them back
            now = m.utc_now()
            if not _supersede_published(session, period_id, version_id, seen):
                raise _lost(session, period_id, version_id)
            if not _neighbours_unchanged(session, checked):
                raise Conflict(
                    "a neighbouring period was published meanwhile; the seams were checked "
                    "against its previous roster: publish again to check them anew",
                    {"period_id": period_id},
                )
            superseded = seen[0] if seen else None
            won = session.execute(
                update(m.RosterVersion)
                .where(
                    m.RosterVersion.id == version_id,
                    m.RosterVersion.state == "draft",
                    m.RosterVersion.version_id == expected_version_id,
                )
                .values(
                    state="published",
                    published_at=now,
                    published_by_id=user.id if user else None,
                    version_id=expected_version_id + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if won.rowcount != 1:
                raise _lost(session, period_id, version_id)
            repository.claim_published_days(
                session, session.get(m.PlanningPeriod, period_id), version_id
            )
            session.flush()
            repository.record_audit(
                session,
                user,
                "roster.publish",
                "roster_version",
                version_id,
                {
                    "period_id": period_id,
                    "superseded_id": superseded,
                    "warnings": checked.warnings,
                },
            )
            if within is not None:
                within(session)
    except IntegrityError as clash:
        # another publish won: of this period (one published per period), or of an
        # overlapping period for the same agents (published_days' primary key)
        with unit_of_work(sessions) as session:
            _refuse_double_rostering(session, session.get(m.PlanningPeriod, period_id))
            raise _lost(session, period_id, version_id) from clash
    with unit_of_work(sessions) as session:
        return version_view(session.get(m.RosterVersion, version_id)) | {
            "superseded_id": superseded,
            "warnings": checked.warnings,
        }


@dataclass
class Publishable:
    """What the checks before a publish saw, to hold the publish to it."""

    period_id: int
    seen: tuple[int, int] | None
    neighbours: dict[int, int | None]
    """Neighbouring period id -> its published version id when the seams were checked."""
    warnings: list[str] = field(default_factory=list)


def _check_publishable(
    sessions: sessionmaker[Session], version_id: int, expected_version_id: int
) -> Publishable:
    """What the publish must hold to, if the version is an unchanged draft that keeps
    every rule, across both seams too: with the previous period's published roster
    as its history, and as the history of the next period's published roster."""
    with unit_of_work(sessions) as session:
        version = session.get(m.RosterVersion, version_id)
        if version is None:
            raise NotFound(f"no roster version with id {version_id}")
        if version.state != "draft" or version.version_id != expected_version_id:
            raise _lost(session, version.period_id, version_id)
        scenario = period_mapper.to_domain(session, version.period_id)
        roster = roster_mapper.to_domain(session, version_id)
        period = session.get(m.PlanningPeriod, version.period_id)
        result = Publishable(period.id, _published(session, period.id, version_id), {})
        _refuse_double_rostering(session, period)
        previous = chain.previous_period(session, period)
        if previous is not None:
            result.neighbours[previous.period_id] = previous.version_id
        if previous is not None and previous.version_id != version.history_version_id:
            result.warnings.append(_history_moved(version, previous))
        forward = _forward_seam_breaks(session, period, version_id, result)
    violations = check_roster(scenario, roster)
    if violations:
        message = f"version {version_id} breaks {len(violations)} rule(s); nothing was published"
        if result.warnings:
            message += f". {result.warnings[0]}: re-solve the period (locked shifts are kept)"
        raise InvalidInput(message, [violation_dict(v) for v in violations])
    if forward:
        raise InvalidInput(
            f"version {version_id} would break {len(forward)} rule(s) of the next period's "
            "published roster across the seam; nothing was published: change this roster's "
            "last days (remove or move the shifts named) or re-publish the next period first",
            [violation_dict(v, file="next period") for v in forward],
        )
    return result


def _history_moved(version: m.RosterVersion, previous: chain.Link) -> str:
    now = (
        "has no published roster now"
        if previous.version_id is None
        else (f"is now published as version {previous.version_id}")
    )
    was = (
        f"version {version.history_version_id}"
        if version.history_version_id is not None
        else "no published roster"
    )
    return (
        f"the previous period {previous.period_name!r} {now}; this roster was computed "
        f"with {was} as its history"
    )


def _forward_seam_breaks(
    session: Session, period: m.PlanningPeriod, version_id: int, result: Publishable
) -> list:
    """Rules the next periods' published rosters would break with this version's last
    days as their history, that they do not break with their current history."""
    found = []
    for link in chain.next_periods(session, period):
        result.neighbours[link.period_id] = link.version_id
        if link.version_id is None:
            continue
        following = period_mapper.to_domain(session, link.period_id)
        codes = {a.id for a in following.agents}
        their = roster_mapper.to_domain(session, link.version_id)
        own = Roster(their.assignments, (), {})
        new_history = chain.history_from(session, version_id, following.horizon.start, codes)
        before = {_rule_key(v) for v in check_rules(CheckContext(following, own))}
        after = check_rules(CheckContext(replace(following, history=new_history), own))
        found.extend(v for v in after if _rule_key(v) not in before)
    return found


def _rule_key(violation) -> tuple:
    return (violation.rule, violation.agent_id, violation.date)


def _neighbours_unchanged(session: Session, result: Publishable) -> bool:
    for period_id, version_id in result.neighbours.items():
        published = repository.published_version(session, period_id)
        if (published.id if published else None) != version_id:
            return False
    return True


def _refuse_double_rostering(session: Session, period: m.PlanningPeriod) -> None:
    """Refuse when another period has a published roster on overlapping dates for some
    of the same agents: they would see (and be paid for) both rosters' shifts."""
    found = overlaps(session, period)
    if found:
        first = found[0]
        raise Conflict(
            first["message"],
            {"period_id": first["period_id"], "shared_agents": first["shared_agents"]},
        )


def _published(session: Session, period_id: int, version_id: int) -> tuple[int, int] | None:
    """(id, counter) of the period's published version other than ``version_id``."""
    row = session.execute(
        select(m.RosterVersion.id, m.RosterVersion.version_id).where(
            m.RosterVersion.period_id == period_id,
            m.RosterVersion.state == "published",
            m.RosterVersion.id != version_id,
        )
    ).first()
    return None if row is None else (row[0], row[1])


def _supersede_published(
    session: Session, period_id: int, version_id: int, seen: tuple[int, int] | None
) -> bool:
    """Supersede the published version the checks saw; False if another publish
    changed it since (a version published meanwhile, or the seen one superseded)."""
    if _published(session, period_id, version_id) != seen:
        return False
    if seen is None:
        return True  # a rival first publish is refused by the unique index
    done = session.execute(
        update(m.RosterVersion)
        .where(
            m.RosterVersion.id == seen[0],
            m.RosterVersion.state == "published",
            m.RosterVersion.version_id == seen[1],
        )
        .values(state="superseded", version_id=seen[1] + 1)
        .execution_options(synchronize_session=False)
    )
    return done.rowcount == 1


def _lost(session: Session, period_id: int, version_id: int) -> Conflict:
    """The Conflict a planner sees: what is published now, and where his version stands."""
    session.expire_all()
    published = repository.published_version(session, period_id)
    requested = session.get(m.RosterVersion, version_id)
    current = {
        "published": version_view(published) if published else None,
        "requested": version_view(requested) if requested else None,
    }
    if requested is not None and requested.state == "published":
        message = f"version {version_id} is published already"
    elif requested is not None and requested.state != "draft":
        message = f"version {version_id} is {requested.state}, only a draft can be published"
    elif published is not None and published.id != version_id:
        message = (
            f"version {version_id} was changed or another version ({published.id}) was "
            "published meanwhile; reload and decide again"
        )
    else:
        message = f"version {version_id} was changed since you read it; reload it"
    return Conflict(message, current)
