"""Server processes that share a database must share the server secrets.

A process with other secrets would sign URLs and tokens the others refuse, and could not open
what they sealed (TOTP secrets): the first process to serve a database binds it to a
fingerprint of its secrets, and a process with other secrets refuses to start.
"""

from __future__ import annotations

import hashlib
import hmac

from photo_api.clock import now_us
from photo_api.config import SECRET_SIZES, Settings
from photo_api.db.session import Database
from photo_api.ops import repo


class SecretsMismatch(RuntimeError):
    """This process's secrets are not the ones the database was first served with."""


def fingerprint(settings: Settings) -> str:
    """An HMAC under every server secret: equal for equal secrets, and reveals none."""
    keys = b"".join(settings.keys.raw(name) for name in SECRET_SIZES)
    return hmac.new(keys, b"photo-api server identity", hashlib.sha256).hexdigest()


def check(db: Database, settings: Settings) -> None:
    mine = fingerprint(settings)
    with db.session() as session:
        bound = repo.claim_identity(session, fingerprint=mine, now=now_us())
        session.commit()
    if not hmac.compare_digest(bound, mine):
        raise SecretsMismatch(
            f"the database {db.engine.url.render_as_string()} is served with other server "
            "secrets: every process on one database needs the same secrets (copy the first "
            f"server's {settings.data_dir / 'secrets.json'} or set the same `secrets`)"
        )
