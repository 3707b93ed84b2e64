"""Cast's wire JSON: what the TV and the sender post, and the sender's session list."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

from photo_api.models import CastSession
from photo_api.wire import B64, INT64_MAX, WireModel, b64decode

PUBLIC_KEY_BYTES = 32
# The sealed {castToken, collectionID, collectionKey}: under 1 KiB for any token we accept.
MAX_PAYLOAD_CHARS = 4096
# Clients choose the token (web: "cast_" and 22 characters, mobile: a UUID); a short one would
# be guessable, and museum's column holds 512.
MIN_TOKEN_CHARS, MAX_TOKEN_CHARS = 16, 512


def _is_public_key(value: str) -> str:
    try:
        raw = b64decode(value)
    except ValueError as exc:
        raise ValueError("not standard base64") from exc
    if len(raw) != PUBLIC_KEY_BYTES:
        raise ValueError(f"a public key is {PUBLIC_KEY_BYTES} bytes")
    return value


class RegisterDeviceRequest(WireModel):
    publicKey: Annotated[
        str,
        StringConstraints(max_length=64),
        AfterValidator(_is_public_key),
        # 32 bytes in standard base64: 43 characters and one "=".
        Field(json_schema_extra={"pattern": r"^[A-Za-z0-9+/]{43}=$"}),
    ]


class CastDataRequest(WireModel):
    collectionID: Annotated[int, Field(gt=0, le=INT64_MAX)]
    castToken: Annotated[
        str, StringConstraints(min_length=MIN_TOKEN_CHARS, max_length=MAX_TOKEN_CHARS)
    ]
    encPayload: Annotated[B64, StringConstraints(max_length=MAX_PAYLOAD_CHARS)]
    deviceCode: Annotated[str, StringConstraints(min_length=1, max_length=64)]


def device_out(row: CastSession) -> dict[str, Any]:
    return {
        "deviceID": row.id,
        "collectionID": row.collection_id,
        "deviceIP": row.ip,
        "lastUsedAt": row.last_used_at,
    }
