"""Cast devices and their album tokens.

Revision ID: 2026_12_01_cast
Revises: 2026_12_01_passkeys
Create Date: 2026-12-01 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_01_cast"
down_revision: str | None = "2026_12_01_passkeys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cast_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("collection_id", sa.BigInteger(), nullable=True),
        sa.Column("cast_user_id", sa.BigInteger(), nullable=True),
        sa.Column("encrypted_payload", sa.Text(), nullable=True),
        sa.Column("token_hash", sa.LargeBinary(length=32), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("last_used_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cast_user_id"],
            ["users.id"],
            name=op.f("fk_cast_sessions_cast_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collections.id"],
            name=op.f("fk_cast_sessions_collection_id_collections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cast_sessions")),
        sa.UniqueConstraint("code", name=op.f("uq_cast_sessions_code")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_cast_sessions_token_hash")),
    )
    with op.batch_alter_table("cast_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_cast_sessions_cast_user_id", ["cast_user_id"], unique=False)
        batch_op.create_index("ix_cast_sessions_collection_id", ["collection_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cast_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_cast_sessions_collection_id")
        batch_op.drop_index("ix_cast_sessions_cast_user_id")
    op.drop_table("cast_sessions")
