"""One full diff page: the server's work for it beside its floor, in this process.

- ours: what GET /collections/v2/diff does between reading the request and writing the
  response (the service on a read session, then the JSON bytes);
- floor: the same rows read with the database driver alone (sqlite3 or psycopg, one query,
  no ORM), turned into the same JSON objects and serialized with orjson.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import time
from collections.abc import Callable
from typing import Any

import orjson
import psycopg
from sqlalchemy.engine import make_url

from photo_api.collections import service
from photo_api.db.session import Database
from photo_api.wire import json_response

ROUNDS = 7

PAGE_SQL = """
SELECT cf.file_id, f.owner_id, cf.collection_id, cf.c_owner_id, cf.encrypted_key,
       cf.key_decryption_nonce, f.file_decryption_header, f.thumbnail_decryption_header,
       f.encrypted_metadata, f.metadata_decryption_header, cf.is_deleted, cf.updation_time,
       cf.created_at, f.magic_metadata, f.pub_magic_metadata, f.file_size, f.thumb_size
FROM collection_files cf JOIN files f ON f.id = cf.file_id
WHERE cf.collection_id = {param} AND cf.updation_time > {param}
ORDER BY cf.updation_time, cf.file_id
LIMIT {param}
"""


def _magic(value: Any) -> Any:
    if value is None:
        return None
    data = json.loads(value) if isinstance(value, str) else value
    return {k: v for k, v in data.items() if v not in (0, "", None)} or None


def _entry(row: tuple[Any, ...]) -> dict[str, Any]:
    (file_id, owner, collection, c_owner, key, nonce, file_header, thumb_header, metadata,
     metadata_header, deleted, updated, added, magic, pub, file_size, thumb_size) = row  # fmt: skip
    out: dict[str, Any] = {
        "id": file_id,
        "ownerID": owner,
        "collectionID": collection,
        "collectionOwnerID": c_owner,
        "encryptedKey": key,
        "keyDecryptionNonce": nonce,
        "file": {"decryptionHeader": file_header, "size": 0},
        "thumbnail": {"decryptionHeader": thumb_header, "size": 0},
        "metadata": {"encryptedData": metadata, "decryptionHeader": metadata_header, "size": 0},
        "isDeleted": bool(deleted),
        "updationTime": updated,
        "collectionAddedAt": added,
    }
    if (m := _magic(magic)) is not None:
        out["magicMetadata"] = m
    if (p := _magic(pub)) is not None:
        out["pubMagicMetadata"] = p
    out["info"] = {"fileSize": file_size, "thumbSize": thumb_size}
    return out


def floor_ms(database_url: str, collection_id: int, page: int) -> float:
    """Median time of the page read by the driver alone and encoded with orjson."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        sqlite_conn = sqlite3.connect(url.database or "")

        def fetch() -> list[Any]:
            sql = PAGE_SQL.format(param="?")
            return sqlite_conn.execute(sql, (collection_id, 0, page)).fetchall()

        close: Callable[[], None] = sqlite_conn.close
    else:
        pg_conn = psycopg.connect(url.set(drivername="postgresql").render_as_string(False))

        def fetch() -> list[Any]:
            with pg_conn.cursor() as cursor:
                cursor.execute(PAGE_SQL.format(param="%s"), (collection_id, 0, page))
                return cursor.fetchall()

        close = pg_conn.close
    try:
        return _median(
            lambda: orjson.dumps({"diff": [_entry(r) for r in fetch()], "hasMore": True})
        )
    finally:
        close()


def ours_ms(db: Database, *, user_id: int, collection_id: int) -> float:
    """Median time of the service and the response bytes, as the route produces them."""

    def once() -> bytes:
        with db.session(write=False) as session:
            body = service.diff(
                session, user_id=user_id, app="photos", collection_id=collection_id, since=0
            )
            return bytes(json_response(body).body)

    return _median(once)


def _median(work: Callable[[], bytes]) -> float:
    work()  # warm caches and compiled statements first
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)
