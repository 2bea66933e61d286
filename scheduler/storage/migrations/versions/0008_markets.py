"""Markets and messaging (extensions beyond the v1.1 scenario contract): a period keeps
its [markets] and [service.messaging] as JSON (null on periods imported before, which
means none and e-mail's default window), and forecast rows may be on the messaging
channel (the column widens to 16 characters for it).

Revision ID: 0008_markets
Revises: 0007_outbox
Create Date: 2026-12-06 07:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_markets"
down_revision: str | Sequence[str] | None = "0007_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

V1_CHANNELS = "channel IN ('phone', 'chat', 'email')"
CHANNELS = "channel IN ('phone', 'chat', 'email', 'messaging')"


def upgrade() -> None:
    with op.batch_alter_table("planning_periods", schema=None) as batch_op:
        batch_op.add_column(sa.Column("messaging", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("markets", sa.JSON(), nullable=True))
    with op.batch_alter_table("forecast_rows", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_forecast_rows_channel"), type_="check")
        batch_op.alter_column(
            "channel",
            existing_type=sa.String(length=8),
            type_=sa.String(length=16),
            existing_nullable=False,
        )
        batch_op.create_check_constraint(batch_op.f("ck_forecast_rows_channel"), CHANNELS)


def downgrade() -> None:
    op.execute("DELETE FROM forecast_rows WHERE channel = 'messaging'")
    with op.batch_alter_table("forecast_rows", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_forecast_rows_channel"), type_="check")
        batch_op.alter_column(
            "channel",
            existing_type=sa.String(length=16),
            type_=sa.String(length=8),
            existing_nullable=False,
        )
        batch_op.create_check_constraint(batch_op.f("ck_forecast_rows_channel"), V1_CHANNELS)
    with op.batch_alter_table("planning_periods", schema=None) as batch_op:
        batch_op.drop_column("markets")
        batch_op.drop_column("messaging")
