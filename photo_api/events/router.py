"""POST /events and /events/user: where the Android app says it was installed from.

museum stores them for its own marketing and never reads them back; a self-hosted server has
no use for them, so they are checked as museum checks them, acknowledged, and dropped. The app
retries until it gets a 2xx.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from photo_api.auth.deps import CurrentUser, RateLimit
from photo_api.events.schemas import InstallEventRequest, UserEventRequest
from photo_api.wire import EmptyAnswer, empty_ok

router = APIRouter(prefix="/events", tags=["events"])


# Public: sent before the user has an account. museum allows 10 a minute per address.
@router.post("", dependencies=[Depends(RateLimit("events", limit=10))])
def install_event(body: InstallEventRequest) -> EmptyAnswer:
    return empty_ok()


@router.post("/user")
def user_event(body: UserEventRequest, caller: CurrentUser) -> EmptyAnswer:
    return empty_ok()
