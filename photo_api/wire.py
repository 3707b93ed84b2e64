"""Building blocks for request bodies as museum's clients send them."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Annotated, Any

import orjson
from fastapi import Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints


class WireModel(BaseModel):
    """A request body: unknown fields ignored, as museum does."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


def _is_base64(value: str) -> str:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not standard base64") from exc
    return value


def _is_uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError as exc:
        raise ValueError("not a UUID") from exc


def b64decode(value: str) -> bytes:
    return base64.b64decode(value, validate=True)


def b64encode(value: bytes) -> str:
    return base64.b64encode(value).decode()


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# museum's ids, times and sizes are int64: anything larger is refused before it reaches SQL.
Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=65536)]
B64 = Annotated[
    str, StringConstraints(min_length=1, max_length=1 << 20), AfterValidator(_is_base64)
]
Uuid = Annotated[str, AfterValidator(_is_uuid)]


def empty_ok() -> Response:
    """200 with an empty body, which museum answers for many writes."""
    return Response(status_code=200)


def json_response(body: Any) -> Response:
    """Serialize once, straight to bytes with orjson: for large answers (diff pages) FastAPI's
    encoding would walk every row a second time, then the standard library's json a third."""
    return Response(
        orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS), media_type="application/json"
    )
