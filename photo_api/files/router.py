"""File endpoints: upload URLs, commit, update, metadata, info, downloads, copies."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from photo_api.auth.deps import SettingsDep, StorageUser, stores_of
from photo_api.db.session import SessionDep, WriteSessionDep
from photo_api.errors import bad_request
from photo_api.files import counts, meta, quota, service, uploads
from photo_api.files.schemas import (
    CopyFilesRequest,
    CreateFileRequest,
    CreateMetaFileRequest,
    FileIdsRequest,
    MultipartCompleteRequest,
    MultipartUploadUrlRequest,
    UpdateFileRequest,
    UpdateMagicMetadataRequest,
    UpdateThumbnailRequest,
    UploadUrlRequest,
)
from photo_api.wire import EmptyAnswer, Int64, empty_ok

router = APIRouter(prefix="/files", tags=["files"])


@router.get("/upload-eligibility")
def upload_eligibility(caller: StorageUser, session: SessionDep) -> EmptyAnswer:
    quota.check(session, user_id=caller.user_id)
    return empty_ok()


@router.get("/upload-urls")
def upload_urls(
    request: Request,
    caller: StorageUser,
    session: WriteSessionDep,
    settings: SettingsDep,
    count: int = 0,
) -> dict[str, Any]:
    quota.check(session, user_id=caller.user_id)
    urls = [
        uploads.single(
            session, settings=settings, stores=stores_of(request), owner_id=caller.user_id
        )
        for _ in range(max(0, min(count, uploads.MAX_URLS)))
    ]
    return {"urls": urls}


@router.post("/upload-url")
def upload_url(
    body: UploadUrlRequest,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, str]:
    md5 = uploads.normalize_md5(body.contentMD5)
    quota.check(session, user_id=caller.user_id, size=body.contentLength)
    return uploads.single(
        session,
        settings=settings,
        stores=stores_of(request),
        owner_id=caller.user_id,
        content_length=body.contentLength,
        content_md5=md5,
    )


@router.get("/multipart-upload-urls")
def multipart_upload_urls(
    request: Request,
    caller: StorageUser,
    session: WriteSessionDep,
    settings: SettingsDep,
    count: int = 0,
) -> dict[str, Any]:
    if not 1 <= count <= uploads.MAX_PARTS:
        raise bad_request(f"count must be 1..{uploads.MAX_PARTS}")
    quota.check(session, user_id=caller.user_id)
    return {
        "urls": uploads.multipart(
            session,
            settings=settings,
            stores=stores_of(request),
            owner_id=caller.user_id,
            part_count=count,
        )
    }


@router.post("/multipart-upload-url")
def multipart_upload_url(
    body: MultipartUploadUrlRequest,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    md5s = [uploads.normalize_md5(m) for m in body.partMd5s]
    lengths = uploads.part_lengths(
        content_length=body.contentLength, part_length=body.partLength, md5_count=len(md5s)
    )
    quota.check(session, user_id=caller.user_id)
    return uploads.multipart(
        session,
        settings=settings,
        stores=stores_of(request),
        owner_id=caller.user_id,
        part_count=len(md5s),
        lengths=lengths,
        md5s=md5s,
    )


# The seed's: for clients that cannot POST the completion XML to the completeURL.
@router.post("/multipart-complete")
def multipart_complete(
    body: MultipartCompleteRequest, request: Request, caller: StorageUser
) -> dict[str, str]:
    return uploads.complete_multipart(
        request.app.state.db,
        stores=stores_of(request),
        owner_id=caller.user_id,
        key=body.objectKey,
        parts=[(part.partNumber, part.etag) for part in body.parts],
    )


@router.post("")
def create_file(
    body: CreateFileRequest,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    if body.id:
        raise bad_request("use PUT /files/update to change a file")
    return service.create(
        session, stores=stores_of(request), user_id=caller.user_id, app=caller.app, request=body
    )


@router.post("/meta")
def create_meta_file(
    body: CreateMetaFileRequest, caller: StorageUser, session: SessionDep
) -> dict[str, Any]:
    return meta.create(session, user_id=caller.user_id, app=caller.app, request=body)


@router.put("/update")
def update_file(
    body: UpdateFileRequest,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> dict[str, int]:
    return service.update(
        session, settings=settings, stores=stores_of(request), user_id=caller.user_id, request=body
    )


@router.put("/thumbnail")
def update_thumbnail(
    body: UpdateThumbnailRequest,
    request: Request,
    caller: StorageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> EmptyAnswer:
    service.update_thumbnail(
        session,
        settings=settings,
        stores=stores_of(request),
        user_id=caller.user_id,
        file_id=body.fileID,
        thumbnail=body.thumbnail,
    )
    return empty_ok()


@router.put("/magic-metadata")
def update_magic_metadata(
    body: UpdateMagicMetadataRequest, caller: StorageUser, session: SessionDep
) -> EmptyAnswer:
    service.update_magic_metadata(
        session,
        user_id=caller.user_id,
        items=body.metadataList,
        public=False,
        skip_version=body.skipVersion,
    )
    return empty_ok()


@router.put("/public-magic-metadata")
def update_public_magic_metadata(
    body: UpdateMagicMetadataRequest, caller: StorageUser, session: SessionDep
) -> EmptyAnswer:
    service.update_magic_metadata(
        session,
        user_id=caller.user_id,
        items=body.metadataList,
        public=True,
        skip_version=body.skipVersion,
    )
    return empty_ok()


@router.post("/copy")
def copy_files(
    body: CopyFilesRequest, request: Request, caller: StorageUser, session: SessionDep
) -> dict[str, Any]:
    return service.copy(
        session, stores=stores_of(request), user_id=caller.user_id, app=caller.app, request=body
    )


@router.post("/info")
def files_info(body: FileIdsRequest, caller: StorageUser, session: SessionDep) -> dict[str, Any]:
    return service.files_info(session, user_id=caller.user_id, file_ids=body.fileIDs)


@router.post("/size")
def files_size(body: FileIdsRequest, caller: StorageUser, session: SessionDep) -> dict[str, int]:
    return service.total_size(session, user_id=caller.user_id, file_ids=body.fileIDs)


@router.get("/duplicates")
def duplicates(caller: StorageUser, session: SessionDep) -> dict[str, Any]:
    return service.duplicates(session, user_id=caller.user_id)


@router.get("/large-thumbnails")
def large_thumbnails(
    caller: StorageUser, session: SessionDep, threshold: Int64 = Query(default=0)
) -> dict[str, list[int]]:
    files = counts.large_thumbnails(session, user_id=caller.user_id, threshold=threshold)
    return {"largeThumbnailFiles": files}


# Public, as on museum: a counter for a landing page.
@router.get("/count")
def total_count(session: SessionDep) -> dict[str, int]:
    return {"count": counts.total_count(session)}


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=307)


@router.get("/download/{file_id}")
def download(
    file_id: int, request: Request, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> RedirectResponse:
    return _redirect(
        service.download_url(
            session,
            settings=settings,
            stores=stores_of(request),
            user_id=caller.user_id,
            file_id=file_id,
            kind="file",
        )
    )


@router.get("/preview/{file_id}")
def preview(
    file_id: int, request: Request, caller: StorageUser, session: SessionDep, settings: SettingsDep
) -> RedirectResponse:
    return _redirect(
        service.download_url(
            session,
            settings=settings,
            stores=stores_of(request),
            user_id=caller.user_id,
            file_id=file_id,
            kind="thumbnail",
        )
    )
