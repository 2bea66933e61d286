"""What the period and roster mappers share: their errors and bulk inserts."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert
from sqlalchemy.orm import Session

from scheduler.storage import models as m

BULK_CHUNK = 10_000
"""Rows per bulk INSERT: big enough to be fast, small enough to bound memory."""


class NotFound(LookupError):
    """A period or roster version id that does not exist."""


class StoreError(ValueError):
    """Input the database would hold but must not: the message lists every problem."""


def bulk_insert(session: Session, model: type[m.Base], rows: Iterable[dict]) -> int:
    """INSERT many rows in chunks through the ORM bulk path; returns how many."""
    count = 0
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BULK_CHUNK:
            session.execute(insert(model), chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        session.execute(insert(model), chunk)
        count += len(chunk)
    return count


def period_row(session: Session, period_id: int) -> m.PlanningPeriod:
    """The period row, or ``NotFound``."""
    period = session.get(m.PlanningPeriod, period_id)
    if period is None:
        raise NotFound(f"no planning period with id {period_id}")
    return period
