"""Contact endpoints: /contacts, /attachments and the profile-picture aliases.

Photo-library routes: the Auth app's tokens are refused, as museum does.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from photo_api.auth.deps import SettingsDep, StorageUser, stores_of
from photo_api.contacts import attachments, service
from photo_api.contacts.objects import PROFILE_PICTURE
from photo_api.contacts.schemas import (
    AttachmentUploadUrlRequest,
    CommitAttachmentRequest,
    CreateContactRequest,
    UpdateContactRequest,
)
from photo_api.db.session import SessionDep
from photo_api.wire import INT64_MAX, INT64_MIN, EmptyAnswer, empty_ok, json_response

router = APIRouter(tags=["contacts"])

Int64Query = Annotated[int, Query(ge=INT64_MIN, le=INT64_MAX)]


@router.post("/contacts")
def create(body: CreateContactRequest, caller: StorageUser, session: SessionDep) -> dict[str, Any]:
    return service.create(session, user_id=caller.user_id, request=body)


# Before /contacts/{id}, which would take "diff" for an id.
@router.get("/contacts/diff")
def diff(
    caller: StorageUser, session: SessionDep, sinceTime: Int64Query, limit: Int64Query
) -> Response:
    return json_response(
        service.diff(session, user_id=caller.user_id, since=sinceTime, limit=limit)
    )


@router.get("/contacts/{id}")
def get(id: str, caller: StorageUser, session: SessionDep) -> dict[str, Any]:
    return service.get(session, user_id=caller.user_id, contact_id=id)


@router.put("/contacts/{id}")
def update(
    id: str, body: UpdateContactRequest, caller: StorageUser, session: SessionDep
) -> dict[str, Any]:
    return service.update(session, user_id=caller.user_id, contact_id=id, request=body)


@router.delete("/contacts/{id}")
def delete(id: str, caller: StorageUser, session: SessionDep, settings: SettingsDep) -> EmptyAnswer:
    service.delete(session, settings=settings, user_id=caller.user_id, contact_id=id)
    return empty_ok()


@router.post("/attachments/{type}/upload-url")
def upload_url(
    type: str,
    body: AttachmentUploadUrlRequest,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, str]:
    return attachments.upload_url(
        session,
        settings=settings,
        stores=stores_of(request),
        user_id=caller.user_id,
        type_=type,
        content_length=body.contentLength,
        content_md5=body.contentMD5,
    )


@router.get("/attachments/{type}/{attachmentID}")
def download_url(
    type: str,
    attachmentID: str,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, str]:
    return attachments.download_url(
        session,
        settings=settings,
        stores=stores_of(request),
        user_id=caller.user_id,
        type_=type,
        attachment_id=attachmentID,
    )


@router.put("/contacts/{id}/attachments/{type}")
def commit(
    id: str,
    type: str,
    body: CommitAttachmentRequest,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    return attachments.commit(
        session,
        settings=settings,
        stores=stores_of(request),
        user_id=caller.user_id,
        contact_id=id,
        type_=type,
        attachment_id=body.attachmentID,
        size=body.size,
    )


@router.get("/contacts/{id}/attachments/{type}")
def slot_url(
    id: str,
    type: str,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, str]:
    return attachments.slot_url(
        session,
        settings=settings,
        stores=stores_of(request),
        user_id=caller.user_id,
        contact_id=id,
        type_=type,
    )


@router.delete("/contacts/{id}/attachments/{type}")
def clear(
    id: str, type: str, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return attachments.clear(
        session, settings=settings, user_id=caller.user_id, contact_id=id, type_=type
    )


# museum's profile-picture aliases. As there, the upload URL's contact id is not used: the
# upload is tied to a contact only by its commit.
@router.post("/contacts/{id}/profile-picture/upload-url")
def picture_upload_url(
    id: str,
    body: AttachmentUploadUrlRequest,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, str]:
    return upload_url(PROFILE_PICTURE, body, request, caller, session, settings)


@router.put("/contacts/{id}/profile-picture")
def picture_commit(
    id: str,
    body: CommitAttachmentRequest,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    return commit(id, PROFILE_PICTURE, body, request, caller, session, settings)


@router.get("/contacts/{id}/profile-picture")
def picture_url(
    id: str,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
    attachmentID: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, str]:
    """The contact's picture, or with `attachmentID` that attachment, whatever the contact."""
    if attachmentID is not None:
        return download_url(PROFILE_PICTURE, attachmentID, request, caller, session, settings)
    return slot_url(id, PROFILE_PICTURE, request, caller, session, settings)


@router.delete("/contacts/{id}/profile-picture")
def picture_clear(
    id: str, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return clear(id, PROFILE_PICTURE, caller, session, settings)
