"""Agents' stated preferences for a period: a soft term of the optimizer.

One row per wish; ``value`` is the shift code, the weekday (``mon`` .. ``sun``) or the
ISO date, so the unique constraint keeps one wish once even when two requests race.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.domain import PREFERENCE_KINDS
from scheduler.storage.models import Base, _one_of, utc_now

PREFERENCE_ORIGINS = ("file", "app")


class AgentPreference(Base):
    __tablename__ = "agent_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(8), default="app", server_default="app")
    """``file`` (preferences.csv: a re-import replaces it) or ``app`` (stated by the
    agent on his page: a re-import keeps it)."""
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    __table_args__ = (
        UniqueConstraint("agent_id", "kind", "value"),
        CheckConstraint(_one_of("kind", PREFERENCE_KINDS), name="kind"),
        CheckConstraint(_one_of("origin", PREFERENCE_ORIGINS), name="origin"),
    )
