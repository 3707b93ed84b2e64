"""Memory links and their files.

Revision ID: 2026_12_01_memory_share
Revises: 2026_12_01_operations
Create Date: 2026-12-01 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_01_memory_share"
down_revision: str | None = "2026_12_01_operations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "memory_shares",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("memory_hash", sa.Text(), nullable=False),
        sa.Column("metadata_cipher", sa.Text(), nullable=False),
        sa.Column("metadata_nonce", sa.Text(), nullable=False),
        sa.Column("encrypted_key", sa.Text(), nullable=False),
        sa.Column("key_decryption_nonce", sa.Text(), nullable=False),
        sa.Column("access_token", sa.String(length=64), nullable=False),
        sa.Column("access_token_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("type IN ('share', 'lane')", name=op.f("ck_memory_shares_type")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_memory_shares_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memory_shares")),
        sa.UniqueConstraint("access_token_hash", name=op.f("uq_memory_shares_access_token_hash")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_memory_shares_user_id_created_at", "memory_shares", ["user_id", "created_at"]
    )
    op.create_index("ix_memory_shares_created_at", "memory_shares", ["created_at"])
    op.create_table(
        "memory_share_files",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("memory_share_id", sa.BigInteger(), nullable=False),
        sa.Column("file_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("encrypted_key", sa.Text(), nullable=False),
        sa.Column("key_decryption_nonce", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["memory_share_id"],
            ["memory_shares.id"],
            name=op.f("fk_memory_share_files_memory_share_id_memory_shares"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["files.id"],
            name=op.f("fk_memory_share_files_file_id_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memory_share_files")),
        sa.UniqueConstraint(
            "memory_share_id",
            "position",
            name=op.f("uq_memory_share_files_memory_share_id_position"),
        ),
        sa.UniqueConstraint(
            "memory_share_id", "file_id", name=op.f("uq_memory_share_files_memory_share_id_file_id")
        ),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("memory_share_files")
    op.drop_index("ix_memory_shares_created_at", table_name="memory_shares")
    op.drop_index("ix_memory_shares_user_id_created_at", table_name="memory_shares")
    op.drop_table("memory_shares")
