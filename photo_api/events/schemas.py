"""Wire shapes of the install-attribution events the Android app sends."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from photo_api.wire import Uuid, WireModel

Label = Field(min_length=1, max_length=64)


class EventRequest(WireModel):
    id: Uuid
    app: str = Label
    platform: str = Label
    # The install referrer's parameters; museum requires an object, possibly empty.
    data: dict[str, Any]


class InstallEventRequest(EventRequest):
    event: Literal["install"]


class UserEventRequest(EventRequest):
    event: Literal["sign_up", "log_in"]
