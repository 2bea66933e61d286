"""The outbox: e-mails written in the same transaction as the change they tell of.

A message exists exactly when its change was committed (a rolled-back change leaves
none), and a sender delivers it later through SMTP, retrying with backoff until the
server takes it. Senders claim a message with a conditional UPDATE of ``state``, so
two senders never send one message twice (see ``scheduler.mail.sender``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.storage.models import Base, _one_of, utc_now

OUTBOX_STATES = ("queued", "sending", "sent")
"""``queued`` (waiting, or waiting to be retried at ``next_attempt_at``), ``sending``
(claimed by a sender: ``claimed_by`` since ``claimed_at``), ``sent`` (the SMTP server
took it)."""


class OutboxMessage(Base):
    """One e-mail to one address, kept after it was sent (the outbox page lists it) until
    ``sunshift mail prune`` deletes it (``SUNSHIFT_OUTBOX_KEEP_DAYS`` after)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    kind: Mapped[str] = mapped_column(String(64))
    """What it tells, e.g. ``roster.published``, ``timeoff.decided``, ``digest``."""
    to_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(320))
    """The address when it was queued (a later change of the user's e-mail does not
    redirect a message already written)."""
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(2000))
    """A path in the app (``/me``), made absolute with SUNSHIFT_PUBLIC_URL when sent."""
    state: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    """Delivery attempts so far (each claim counts one)."""
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utc_now)
    claimed_at: Mapped[datetime | None] = mapped_column()
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        CheckConstraint(_one_of("state", OUTBOX_STATES), name="state"),
        CheckConstraint("attempts >= 0", name="attempts"),
        Index("ix_outbox_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_outbox_created_at", "created_at"),
    )
