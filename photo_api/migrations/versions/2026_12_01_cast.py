"""Cast devices and their album tokens.

Revision ID: 2026_12_01_cast
Revises: 2026_12_01_passkeys
Create Date: 2026-12-01 00:00:00.000000
"""

from collections.abc import Sequence

revision: str = "2026_12_01_cast"
down_revision: str | None = "2026_12_01_passkeys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
