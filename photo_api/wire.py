"""Building blocks for request bodies as museum's clients send them."""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from typing import Annotated, Any

import orjson
from fastapi import Response
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)


class WireModel(BaseModel):
    """A request body: unknown fields ignored, as museum does; types strict, as Go's decoder
    is (no `true` or `"5"` for a number, no number for a string)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False, strict=True)


def _is_base64(value: str) -> str:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not standard base64") from exc
    return value


def _checked_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("not an email address")
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
# What the validators above check, told to the OpenAPI description (checked by them, not by
# a regular expression, which would add a second pass over megabytes of base64).
B64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
B64OrEmpty = Annotated[
    str,
    StringConstraints(max_length=1 << 20),
    AfterValidator(_is_base64),
    Field(json_schema_extra={"pattern": B64_PATTERN}),
]
# Narrow either further where a field is smaller: Annotated[B64, StringConstraints(max_length=n)].
B64 = Annotated[B64OrEmpty, StringConstraints(min_length=1)]
# An address mail can be sent to: local@domain, without spaces, control characters or the
# characters SMTP would need quoted (museum's clients send nothing else; a quoted local part
# is refused), with the ASCII spaces around it that museum trims. Character ranges rather
# than \s, which regular-expression engines read differently.
_MAILBOX = r'[^@<>()\[\],;:\\"\x00-\x20\x7f-\x9f]+'
_ASCII_SPACE = " \t\n\r\x0b\x0c"
EMAIL_PATTERN = f"^[{_ASCII_SPACE}]*{_MAILBOX}@{_MAILBOX}[{_ASCII_SPACE}]*$"
_EMAIL = re.compile(EMAIL_PATTERN)


def _trim(value: Any) -> Any:
    return value.strip(_ASCII_SPACE) if isinstance(value, str) else value


EmailAddress = Annotated[
    str,
    BeforeValidator(_trim),
    StringConstraints(min_length=3, max_length=320),
    Field(json_schema_extra={"pattern": EMAIL_PATTERN}),
    AfterValidator(_checked_email),
]
UUID_SCHEMA = {"format": "uuid"}
Uuid = Annotated[str, AfterValidator(_is_uuid), Field(json_schema_extra=UUID_SCHEMA)]


class EmptyAnswer(Response):
    """200 with an empty body, which museum answers for many writes; routes that always
    answer it are annotated with it, and the OpenAPI description says so (photo_api.openapi)."""


# For the routes that answer a 204 where a 404 would be logged by browsers as an error.
NO_CONTENT_IF_PREFERRED: dict[int | str, dict[str, Any]] = {
    204: {"description": "No data of that type for the file, and preferNoContent was set."}
}


def empty_ok() -> EmptyAnswer:
    return EmptyAnswer(status_code=200)


def json_response(body: Any) -> Response:
    """Serialize once, straight to bytes with orjson: for large answers (diff pages) FastAPI's
    encoding would walk every row a second time, then the standard library's json a third."""
    return Response(
        orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS), media_type="application/json"
    )
