"""Start a table's generated ids where museum's do, on either database."""

from alembic import op

from photo_api.db.base import FIRST_ID


def start_ids_at_first_id(table: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Tables declared with sqlite_autoincrement keep their counter in sqlite_sequence.
        op.execute(f"INSERT INTO sqlite_sequence (name, seq) VALUES ('{table}', {FIRST_ID - 1})")
    else:
        op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {FIRST_ID}, false)")
