"""Sharing: albums shared with users, public album and file links, families.

Revision ID: 2026_11_24_sharing
Revises: 2026_11_24_library
Create Date: 2026-11-24 12:42:41.468524
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_11_24_sharing"
down_revision: str | None = "2026_11_24_library"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "link_devices",
        sa.Column("link_kind", sa.String(length=16), nullable=False),
        sa.Column("link_id", sa.String(length=64), nullable=False),
        sa.Column("device_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "link_kind", "link_id", "device_hash", name=op.f("pk_link_devices")
        ),
    )
    op.create_table(
        "families",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("admin_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=True),
        sa.Column("storage_limit", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["admin_id"], ["users.id"], name=op.f("fk_families_admin_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["users.id"],
            name=op.f("fk_families_member_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_families")),
        sa.UniqueConstraint("token", name=op.f("uq_families_token")),
    )
    with op.batch_alter_table("families", schema=None) as batch_op:
        batch_op.create_index("ix_families_admin_id", ["admin_id"], unique=False)
        batch_op.create_index("ix_families_member_id", ["member_id"], unique=False)

    op.create_table(
        "collection_shares",
        sa.Column("collection_id", sa.BigInteger(), nullable=False),
        sa.Column("to_user_id", sa.BigInteger(), nullable=False),
        sa.Column("from_user_id", sa.BigInteger(), nullable=False),
        sa.Column("encrypted_key", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("magic_metadata", sa.JSON(), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("shared_at", sa.BigInteger(), nullable=False),
        sa.Column("updation_time", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collections.id"],
            name=op.f("fk_collection_shares_collection_id_collections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_user_id"],
            ["users.id"],
            name=op.f("fk_collection_shares_from_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_user_id"],
            ["users.id"],
            name=op.f("fk_collection_shares_to_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("collection_id", "to_user_id", name=op.f("pk_collection_shares")),
    )
    with op.batch_alter_table("collection_shares", schema=None) as batch_op:
        batch_op.create_index("ix_collection_shares_to_user_id", ["to_user_id"], unique=False)

    op.create_table(
        "public_collection_links",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("collection_id", sa.BigInteger(), nullable=False),
        sa.Column("access_token", sa.String(length=64), nullable=False),
        sa.Column("is_disabled", sa.Boolean(), nullable=False),
        sa.Column("valid_till", sa.BigInteger(), nullable=False),
        sa.Column("device_limit", sa.Integer(), nullable=False),
        sa.Column("pw_hash", sa.Text(), nullable=True),
        sa.Column("pw_nonce", sa.Text(), nullable=True),
        sa.Column("mem_limit", sa.BigInteger(), nullable=True),
        sa.Column("ops_limit", sa.BigInteger(), nullable=True),
        sa.Column("enable_download", sa.Boolean(), nullable=False),
        sa.Column("enable_comment", sa.Boolean(), nullable=False),
        sa.Column("enable_collect", sa.Boolean(), nullable=False),
        sa.Column("enable_join", sa.Boolean(), nullable=False),
        sa.Column("min_role", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collections.id"],
            name=op.f("fk_public_collection_links_collection_id_collections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_collection_links")),
        sa.UniqueConstraint("access_token", name=op.f("uq_public_collection_links_access_token")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("public_collection_links", schema=None) as batch_op:
        batch_op.create_index(
            "uq_public_collection_links_collection_id",
            ["collection_id"],
            unique=True,
            sqlite_where=sa.text("is_disabled = 0"),
            postgresql_where=sa.text("NOT is_disabled"),
        )

    op.create_table(
        "public_file_links",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("file_id", sa.BigInteger(), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("app", sa.String(length=16), nullable=False),
        sa.Column("access_token", sa.String(length=64), nullable=False),
        sa.Column("is_disabled", sa.Boolean(), nullable=False),
        sa.Column("valid_till", sa.BigInteger(), nullable=False),
        sa.Column("device_limit", sa.Integer(), nullable=False),
        sa.Column("enable_download", sa.Boolean(), nullable=False),
        sa.Column("pw_hash", sa.Text(), nullable=True),
        sa.Column("pw_nonce", sa.Text(), nullable=True),
        sa.Column("mem_limit", sa.BigInteger(), nullable=True),
        sa.Column("ops_limit", sa.BigInteger(), nullable=True),
        sa.Column("encrypted_file_key", sa.Text(), nullable=True),
        sa.Column("encrypted_file_key_nonce", sa.Text(), nullable=True),
        sa.Column("kdf_nonce", sa.Text(), nullable=True),
        sa.Column("kdf_mem_limit", sa.BigInteger(), nullable=True),
        sa.Column("kdf_ops_limit", sa.BigInteger(), nullable=True),
        sa.Column("encrypted_share_key", sa.Text(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["files.id"],
            name=op.f("fk_public_file_links_file_id_files"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_public_file_links_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_file_links")),
        sa.UniqueConstraint("access_token", name=op.f("uq_public_file_links_access_token")),
    )
    with op.batch_alter_table("public_file_links", schema=None) as batch_op:
        batch_op.create_index("ix_public_file_links_owner_id", ["owner_id"], unique=False)
        batch_op.create_index(
            "uq_public_file_links_file_id",
            ["file_id"],
            unique=True,
            sqlite_where=sa.text("is_disabled = 0"),
            postgresql_where=sa.text("NOT is_disabled"),
        )


def downgrade() -> None:
    with op.batch_alter_table("public_file_links", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_public_file_links_file_id",
            sqlite_where=sa.text("is_disabled = 0"),
            postgresql_where=sa.text("NOT is_disabled"),
        )
        batch_op.drop_index("ix_public_file_links_owner_id")

    op.drop_table("public_file_links")
    with op.batch_alter_table("public_collection_links", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_public_collection_links_collection_id",
            sqlite_where=sa.text("is_disabled = 0"),
            postgresql_where=sa.text("NOT is_disabled"),
        )

    op.drop_table("public_collection_links")
    with op.batch_alter_table("collection_shares", schema=None) as batch_op:
        batch_op.drop_index("ix_collection_shares_to_user_id")

    op.drop_table("collection_shares")
    with op.batch_alter_table("families", schema=None) as batch_op:
        batch_op.drop_index("ix_families_member_id")
        batch_op.drop_index("ix_families_admin_id")

    op.drop_table("families")
    op.drop_table("link_devices")
