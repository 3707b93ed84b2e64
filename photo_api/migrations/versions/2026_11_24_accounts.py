"""Accounts: users, keys, credentials, sessions, plans and usage.

Revision ID: 2026_11_24_accounts
Revises:
Create Date: 2026-11-24 11:50:45.494186
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from photo_api.migrations.ids import start_ids_at_first_id

revision: str = "2026_11_24_accounts"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "otts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("app", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("wrong_attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_otts")),
        sa.UniqueConstraint("email", "app", "code", name=op.f("uq_otts_email_app_code")),
    )
    with op.batch_alter_table("otts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_otts_email"), ["email"], unique=False)

    op.create_table(
        "rate_limit_counters",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start", name=op.f("pk_rate_limit_counters")),
    )
    op.create_table(
        "srp_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("srp_user_id", sa.String(length=36), nullable=False),
        sa.Column("server_key", sa.Text(), nullable=False),
        sa.Column("srp_a", sa.Text(), nullable=False),
        sa.Column("has_verified", sa.Boolean(), nullable=False),
        sa.Column("attempt_count", sa.Integer(), nullable=False),
        sa.Column("is_fake", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_srp_sessions")),
    )
    with op.batch_alter_table("srp_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_srp_sessions_srp_user_id"), ["srp_user_id"], unique=False
        )

    op.create_table(
        "users",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("is_two_factor_enabled", sa.Boolean(), nullable=False),
        sa.Column("email_mfa", sa.Boolean(), nullable=False),
        sa.Column("family_admin_id", sa.BigInteger(), nullable=True),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("deleted_at", sa.BigInteger(), nullable=True),
        sa.Column("delete_feedback", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["family_admin_id"],
            ["users.id"],
            name=op.f("fk_users_family_admin_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sqlite_autoincrement=True,
    )
    start_ids_at_first_id("users")
    op.create_table(
        "key_attributes",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kek_salt", sa.Text(), nullable=False),
        sa.Column("kek_hash", sa.Text(), nullable=True),
        sa.Column("encrypted_key", sa.Text(), nullable=False),
        sa.Column("key_decryption_nonce", sa.Text(), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("encrypted_secret_key", sa.Text(), nullable=False),
        sa.Column("secret_key_decryption_nonce", sa.Text(), nullable=False),
        sa.Column("mem_limit", sa.BigInteger(), nullable=False),
        sa.Column("ops_limit", sa.BigInteger(), nullable=False),
        sa.Column("master_key_encrypted_with_recovery_key", sa.Text(), nullable=True),
        sa.Column("master_key_decryption_nonce", sa.Text(), nullable=True),
        sa.Column("recovery_key_encrypted_with_master_key", sa.Text(), nullable=True),
        sa.Column("recovery_key_decryption_nonce", sa.Text(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_key_attributes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_key_attributes")),
    )
    op.create_table(
        "remote_store",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_remote_store_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "key", name=op.f("pk_remote_store")),
    )
    op.create_table(
        "srp_auth",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("srp_user_id", sa.String(length=36), nullable=False),
        sa.Column("salt", sa.Text(), nullable=False),
        sa.Column("verifier", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_srp_auth_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_srp_auth")),
        sa.UniqueConstraint("srp_user_id", name=op.f("uq_srp_auth_srp_user_id")),
    )
    op.create_table(
        "srp_setups",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("srp_user_id", sa.String(length=36), nullable=False),
        sa.Column("salt", sa.Text(), nullable=False),
        sa.Column("verifier", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_srp_setups_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_srp_setups")),
    )
    with op.batch_alter_table("srp_setups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_srp_setups_user_id"), ["user_id"], unique=False)

    op.create_table(
        "subscriptions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("storage", sa.BigInteger(), nullable=False),
        sa.Column("original_transaction_id", sa.String(length=128), nullable=False),
        sa.Column("expiry_time", sa.BigInteger(), nullable=False),
        sa.Column("payment_provider", sa.String(length=32), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("upgraded_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint("user_id", name=op.f("uq_subscriptions_user_id")),
    )
    op.create_table(
        "temp_two_factor",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("encrypted_secret", sa.LargeBinary(), nullable=False),
        sa.Column("secret_hash", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_temp_two_factor_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_temp_two_factor")),
    )
    with op.batch_alter_table("temp_two_factor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_temp_two_factor_user_id"), ["user_id"], unique=False)

    op.create_table(
        "tokens",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("app", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("last_used_at", sa.BigInteger(), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_tokens_token_hash")),
    )
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.create_index("ix_tokens_user_id_app", ["user_id", "app"], unique=False)

    op.create_table(
        "two_factor",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("encrypted_secret", sa.LargeBinary(), nullable=False),
        sa.Column("secret_hash", sa.String(length=128), nullable=False),
        sa.Column("recovery_encrypted_secret", sa.Text(), nullable=False),
        sa.Column("recovery_secret_nonce", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_two_factor_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_two_factor")),
    )
    op.create_table(
        "two_factor_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("wrong_attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_two_factor_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_two_factor_sessions")),
    )
    with op.batch_alter_table("two_factor_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_two_factor_sessions_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "two_factor_used_codes",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_two_factor_used_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "code_hash", name=op.f("pk_two_factor_used_codes")),
    )
    op.create_table(
        "usage",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("storage_consumed", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_usage_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_usage")),
    )


def downgrade() -> None:
    op.drop_table("usage")
    op.drop_table("two_factor_used_codes")
    with op.batch_alter_table("two_factor_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_two_factor_sessions_user_id"))

    op.drop_table("two_factor_sessions")
    op.drop_table("two_factor")
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_tokens_user_id_app")

    op.drop_table("tokens")
    with op.batch_alter_table("temp_two_factor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_temp_two_factor_user_id"))

    op.drop_table("temp_two_factor")
    op.drop_table("subscriptions")
    with op.batch_alter_table("srp_setups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_srp_setups_user_id"))

    op.drop_table("srp_setups")
    op.drop_table("srp_auth")
    op.drop_table("remote_store")
    op.drop_table("key_attributes")
    op.drop_table("users")
    with op.batch_alter_table("srp_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_srp_sessions_srp_user_id"))

    op.drop_table("srp_sessions")
    op.drop_table("rate_limit_counters")
    with op.batch_alter_table("otts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_otts_email"))

    op.drop_table("otts")
