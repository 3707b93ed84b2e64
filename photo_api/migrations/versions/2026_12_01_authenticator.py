"""Ente Auth keys and entities.

Revision ID: 2026_12_01_authenticator
Revises: 2026_12_01_contacts
Create Date: 2026-12-01 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_01_authenticator"
down_revision: str | None = "2026_12_01_contacts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "authenticator_keys",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("encrypted_key", sa.Text(), nullable=False),
        sa.Column("header", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_authenticator_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_authenticator_keys")),
    )
    op.create_table(
        "authenticator_entities",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("encrypted_data", sa.Text(), nullable=True),
        sa.Column("header", sa.Text(), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "(is_deleted AND encrypted_data IS NULL AND header IS NULL)"
            " OR (NOT is_deleted AND encrypted_data IS NOT NULL AND header IS NOT NULL)",
            name=op.f("ck_authenticator_entities_tombstone"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["authenticator_keys.user_id"],
            name=op.f("fk_authenticator_entities_user_id_authenticator_keys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authenticator_entities")),
    )
    op.create_index(
        "ix_authenticator_entities_user_id_updated_at",
        "authenticator_entities",
        ["user_id", "updated_at"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_authenticator_entities_user_id_updated_at", table_name="authenticator_entities"
    )
    op.drop_table("authenticator_entities")
    op.drop_table("authenticator_keys")
