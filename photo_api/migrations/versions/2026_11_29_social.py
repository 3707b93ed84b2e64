"""Social: comments, reactions and anonymous identities of public-link visitors.

Revision ID: 2026_11_29_social
Revises: 2026_11_29_replication
Create Date: 2026-11-29 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_11_29_social"
down_revision: str | None = "2026_11_29_replication"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOMBSTONE = (
    "(is_deleted AND cipher IS NULL AND nonce IS NULL)"
    " OR (NOT is_deleted AND cipher IS NOT NULL AND nonce IS NOT NULL)"
)
ONE_AUTHOR = "(user_id IS NULL) <> (anon_user_id IS NULL)"


def _collection_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["collection_id"],
        ["collections.id"],
        name=op.f(f"fk_{table}_collection_id_collections"),
        ondelete="CASCADE",
    )


def _author_fks(table: str) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["anon_user_id"],
            ["anon_users.id"],
            name=op.f(f"fk_{table}_anon_user_id_anon_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["files.id"], name=op.f(f"fk_{table}_file_id_files"), ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "anon_users",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("collection_id", sa.BigInteger(), nullable=False),
        sa.Column("cipher", sa.Text(), nullable=False),
        sa.Column("nonce", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        _collection_fk("anon_users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anon_users")),
    )
    op.create_index("ix_anon_users_collection_id", "anon_users", ["collection_id"])

    op.create_table(
        "comments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("collection_id", sa.BigInteger(), nullable=False),
        sa.Column("file_id", sa.BigInteger(), nullable=True),
        sa.Column("parent_comment_id", sa.String(length=32), nullable=True),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("anon_user_id", sa.String(length=32), nullable=True),
        sa.Column("cipher", sa.Text(), nullable=True),
        sa.Column("nonce", sa.Text(), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(ONE_AUTHOR, name=op.f("ck_comments_one_author")),
        sa.CheckConstraint(TOMBSTONE, name=op.f("ck_comments_tombstone")),
        _collection_fk("comments"),
        *_author_fks("comments"),
        sa.ForeignKeyConstraint(
            ["parent_comment_id"],
            ["comments.id"],
            name=op.f("fk_comments_parent_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index(
        "ix_comments_collection_id_updated_at", "comments", ["collection_id", "updated_at"]
    )
    op.create_index("ix_comments_parent_comment_id", "comments", ["parent_comment_id"])
    op.create_index("ix_comments_user_id", "comments", ["user_id"])

    op.create_table(
        "reactions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("collection_id", sa.BigInteger(), nullable=False),
        sa.Column("file_id", sa.BigInteger(), nullable=True),
        sa.Column("comment_id", sa.String(length=32), nullable=True),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("anon_user_id", sa.String(length=32), nullable=True),
        sa.Column("actor_key", sa.String(length=64), nullable=False),
        sa.Column("target_key", sa.String(length=64), nullable=False),
        sa.Column("cipher", sa.Text(), nullable=True),
        sa.Column("nonce", sa.Text(), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(ONE_AUTHOR, name=op.f("ck_reactions_one_author")),
        sa.CheckConstraint(
            "comment_id IS NULL OR file_id IS NULL", name=op.f("ck_reactions_one_target")
        ),
        sa.CheckConstraint(TOMBSTONE, name=op.f("ck_reactions_tombstone")),
        _collection_fk("reactions"),
        *_author_fks("reactions"),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_reactions_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reactions")),
    )
    op.create_index(
        "ix_reactions_collection_id_updated_at", "reactions", ["collection_id", "updated_at"]
    )
    op.create_index("ix_reactions_comment_id", "reactions", ["comment_id"])
    op.create_index("ix_reactions_user_id", "reactions", ["user_id"])
    op.create_index(
        "uq_reactions_actor_key_target_key", "reactions", ["actor_key", "target_key"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_reactions_actor_key_target_key", table_name="reactions")
    op.drop_index("ix_reactions_user_id", table_name="reactions")
    op.drop_index("ix_reactions_comment_id", table_name="reactions")
    op.drop_index("ix_reactions_collection_id_updated_at", table_name="reactions")
    op.drop_table("reactions")
    op.drop_index("ix_comments_user_id", table_name="comments")
    op.drop_index("ix_comments_parent_comment_id", table_name="comments")
    op.drop_index("ix_comments_collection_id_updated_at", table_name="comments")
    op.drop_table("comments")
    op.drop_index("ix_anon_users_collection_id", table_name="anon_users")
    op.drop_table("anon_users")
