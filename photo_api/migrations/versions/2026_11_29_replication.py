"""Replication: a row per object copy on each backend, and each object's reference checksum.

Revision ID: 2026_11_29_replication
Revises: 2026_11_24_sharing
Create Date: 2026-11-29 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_11_29_replication"
down_revision: str | None = "2026_11_24_sharing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("objects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))

    op.create_table(
        "object_copies",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("backend", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("copied_at", sa.BigInteger(), nullable=True),
        sa.Column("verified_at", sa.BigInteger(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.BigInteger(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("copy_count", sa.Integer(), nullable=False),
        sa.Column("claimed_until", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key"], ["objects.key"], name=op.f("fk_object_copies_key_objects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("key", "backend", name=op.f("pk_object_copies")),
    )
    with op.batch_alter_table("object_copies", schema=None) as batch_op:
        batch_op.create_index("ix_object_copies_backend_state", ["backend", "state"], unique=False)
        batch_op.create_index(
            "ix_object_copies_state_next_attempt_at", ["state", "next_attempt_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("object_copies", schema=None) as batch_op:
        batch_op.drop_index("ix_object_copies_state_next_attempt_at")
        batch_op.drop_index("ix_object_copies_backend_state")

    op.drop_table("object_copies")
    with op.batch_alter_table("objects", schema=None) as batch_op:
        batch_op.drop_column("sha256")
