"""Wire shape of a referral-code change."""

from __future__ import annotations

from pydantic import Field

from photo_api.wire import WireModel


class ChangeCodeRequest(WireModel):
    code: str = Field(min_length=1, max_length=64)
