"""Wire shape of a device's push registration."""

from __future__ import annotations

from pydantic import Field

from photo_api.wire import WireModel

MAX_TOKEN_LENGTH = 512


class PushTokenRequest(WireModel):
    fcmToken: str = Field(min_length=1, max_length=MAX_TOKEN_LENGTH)
    apnsToken: str | None = Field(default=None, max_length=MAX_TOKEN_LENGTH)
