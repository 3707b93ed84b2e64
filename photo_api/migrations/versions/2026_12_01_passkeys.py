"""Passkeys, their ceremonies and second-factor recovery.

Revision ID: 2026_12_01_passkeys
Revises: 2026_12_01_mobile
Create Date: 2026-12-01 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_01_passkeys"
down_revision: str | None = "2026_12_01_mobile"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "passkeys",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("friendly_name", sa.String(length=256), nullable=False),
        sa.Column("rp_id", sa.String(length=253), nullable=False),
        sa.Column("credential_id", sa.LargeBinary(length=1023), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column("transports", sa.JSON(), nullable=False),
        sa.Column("aaguid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("last_used_at", sa.BigInteger(), nullable=True),
        _user_fk("passkeys"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passkeys")),
        sa.UniqueConstraint("rp_id", "credential_id", name=op.f("uq_passkeys_rp_id_credential_id")),
    )
    op.create_index(op.f("ix_passkeys_user_id"), "passkeys", ["user_id"])

    op.create_table(
        "passkey_login_sessions",
        sa.Column("session_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("verified_at", sa.BigInteger(), nullable=True),
        sa.Column("token_data", sa.JSON(), nullable=True),
        sa.Column("token_fetch_count", sa.Integer(), nullable=False),
        _user_fk("passkey_login_sessions"),
        sa.PrimaryKeyConstraint("session_hash", name=op.f("pk_passkey_login_sessions")),
    )
    op.create_index(
        op.f("ix_passkey_login_sessions_user_id"), "passkey_login_sessions", ["user_id"]
    )

    op.create_table(
        "webauthn_ceremonies",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("login_session_hash", sa.LargeBinary(length=32), nullable=True),
        sa.Column("challenge", sa.LargeBinary(length=32), nullable=False),
        sa.Column("rp_id", sa.String(length=253), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        _user_fk("webauthn_ceremonies"),
        sa.ForeignKeyConstraint(
            ["login_session_hash"],
            ["passkey_login_sessions.session_hash"],
            name=op.f("fk_webauthn_ceremonies_login_session_hash_passkey_login_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webauthn_ceremonies")),
        sa.UniqueConstraint("challenge", name=op.f("uq_webauthn_ceremonies_challenge")),
    )
    op.create_index(op.f("ix_webauthn_ceremonies_user_id"), "webauthn_ceremonies", ["user_id"])
    op.create_index(
        op.f("ix_webauthn_ceremonies_login_session_hash"),
        "webauthn_ceremonies",
        ["login_session_hash"],
    )

    op.create_table(
        "passkey_recovery",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("encrypted_secret", sa.Text(), nullable=False),
        sa.Column("secret_nonce", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        _user_fk("passkey_recovery"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_passkey_recovery")),
    )


def downgrade() -> None:
    op.drop_table("passkey_recovery")
    op.drop_index(
        op.f("ix_webauthn_ceremonies_login_session_hash"), table_name="webauthn_ceremonies"
    )
    op.drop_index(op.f("ix_webauthn_ceremonies_user_id"), table_name="webauthn_ceremonies")
    op.drop_table("webauthn_ceremonies")
    op.drop_index(op.f("ix_passkey_login_sessions_user_id"), table_name="passkey_login_sessions")
    op.drop_table("passkey_login_sessions")
    op.drop_index(op.f("ix_passkeys_user_id"), table_name="passkeys")
    op.drop_table("passkeys")
