"""Server identity, job leases, login codes stored as keyed hashes, SRP sessions' addresses.

Codes in flight are dropped: they cannot be hashed without the server's key, and a user
asks for a new one.

Revision ID: 2026_12_01_operations
Revises: 2026_11_29_social
Create Date: 2026-12-01 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_01_operations"
down_revision: str | None = "2026_11_29_social"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "server_identity",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("secrets_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_identity")),
    )
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=128), nullable=False),
        sa.Column("until", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_leases")),
    )
    op.execute("DELETE FROM otts")
    with op.batch_alter_table("otts", schema=None) as batch_op:
        batch_op.drop_constraint("uq_otts_email_app_code", type_="unique")
        batch_op.drop_column("code")
        batch_op.drop_column("wrong_attempts")
        batch_op.add_column(sa.Column("code_hash", sa.String(length=64), nullable=False))
        batch_op.create_unique_constraint(
            batch_op.f("uq_otts_email_app_code_hash"), ["email", "app", "code_hash"]
        )
    with op.batch_alter_table("srp_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ip", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("srp_sessions", schema=None) as batch_op:
        batch_op.drop_column("ip")
    op.execute("DELETE FROM otts")
    with op.batch_alter_table("otts", schema=None) as batch_op:
        batch_op.drop_constraint("uq_otts_email_app_code_hash", type_="unique")
        batch_op.drop_column("code_hash")
        batch_op.add_column(sa.Column("code", sa.String(length=16), nullable=False))
        batch_op.add_column(sa.Column("wrong_attempts", sa.Integer(), nullable=False))
        batch_op.create_unique_constraint(
            batch_op.f("uq_otts_email_app_code"), ["email", "app", "code"]
        )
    op.drop_table("job_leases")
    op.drop_table("server_identity")
