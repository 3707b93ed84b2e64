"""Push tokens and the mobile app's other records.

Revision ID: 2026_12_01_mobile
Revises: 2026_12_01_legacy
Create Date: 2026-12-01 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_01_mobile"
down_revision: str | None = "2026_12_01_legacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "push_tokens",
        sa.Column("fcm_token", sa.String(length=512), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("apns_token", sa.String(length=512), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_push_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("fcm_token", name=op.f("pk_push_tokens")),
    )
    op.create_index("ix_push_tokens_user_id", "push_tokens", ["user_id"])
    op.create_index("ix_push_tokens_updated_at", "push_tokens", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_push_tokens_updated_at", table_name="push_tokens")
    op.drop_index("ix_push_tokens_user_id", table_name="push_tokens")
    op.drop_table("push_tokens")
