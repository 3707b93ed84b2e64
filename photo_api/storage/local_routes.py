"""/objects/{backend}/{key}: the local backend answering the URLs it signed, as S3 would.

Authorization is the URL's signature alone (see signing.py), so these routes are public.
Bodies stream to disk in a worker thread, a buffer at a time, so neither memory use nor the
event loop's responsiveness depends on the object's size.
"""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote
from xml.sax.saxutils import escape

import anyio
from anyio import to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from starlette.requests import ClientDisconnect

from photo_api.errors import ApiError
from photo_api.storage.atomic import AtomicWriter
from photo_api.storage.base import InvalidPart, ObjectNotFound
from photo_api.storage.local import InvalidKey, LocalStore, quoted_md5
from photo_api.storage.signing import Grant, SignatureExpired, SignatureInvalid

router = APIRouter(tags=["storage"])

OBJECT_PATH = "/objects/{backend}/{key:path}"
# Request chunks (~64 KiB) are gathered to this size before each hop to the writer thread.
WRITE_BUFFER_BYTES = 1024 * 1024
# S3's limit for a single PUT or part when the URL does not bind a length.
MAX_UNBOUND_BYTES = 5 * 1024**3
# 10,000 parts of ~100 bytes of XML each fit comfortably.
MAX_COMPLETION_XML_BYTES = 2 * 1024 * 1024
S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"


def _store(request: Request, backend: str) -> LocalStore:
    store = request.app.state.stores.get(backend)
    # S3 backends are answered by S3 itself; only local ones live here.
    if not isinstance(store, LocalStore):
        raise ApiError(404, "NOT_FOUND", f"no local storage backend {backend!r}")
    return store


def _verify(store: LocalStore, request: Request, key: str, method: str) -> Grant:
    try:
        return store.verify(method=method, key=key, params=request.query_params)
    except SignatureInvalid as exc:
        raise ApiError(403, "SIGNATURE_MISMATCH", str(exc)) from exc
    except SignatureExpired as exc:
        raise ApiError(403, "URL_EXPIRED", str(exc)) from exc


@contextmanager
def _storage_errors() -> Iterator[None]:
    try:
        yield
    except InvalidKey as exc:
        raise ApiError(400, "INVALID_KEY", str(exc)) from exc
    except InvalidPart as exc:
        raise ApiError(400, "INVALID_PART", str(exc)) from exc
    except ObjectNotFound as exc:
        raise ApiError(404, "NO_SUCH_UPLOAD", str(exc)) from exc


def _md5_bytes(value: str, source: str) -> bytes:
    try:
        digest = base64.b64decode(value, validate=True)
    except binascii.Error:
        digest = b""
    if len(digest) != 16:
        raise ApiError(400, "INVALID_DIGEST", f"{source} is not a base64 MD5")
    return digest


def _expected_md5(grant: Grant, request: Request) -> bytes | None:
    """The digest the body must have: the signed one, which a sent header must repeat."""
    header = request.headers.get("content-md5")
    signed = _md5_bytes(grant.content_md5, "the signed Content-MD5") if grant.content_md5 else None
    sent = _md5_bytes(header, "Content-MD5") if header is not None else None
    if signed is not None and sent is not None and signed != sent:
        raise ApiError(400, "BAD_DIGEST", "Content-MD5 differs from the one the URL was signed for")
    return signed if signed is not None else sent


def _expected_length(grant: Grant, request: Request) -> int | None:
    declared = request.headers.get("content-length")
    if (
        grant.content_length is not None
        and declared is not None
        and (declared != str(grant.content_length))
    ):
        raise ApiError(
            400,
            "CONTENT_LENGTH_MISMATCH",
            f"Content-Length {declared} differs from the signed {grant.content_length}",
        )
    return grant.content_length


async def _receive_into(writer: AtomicWriter, request: Request, limit: int) -> None:
    """Stream the body into `writer`, at most `limit` bytes.

    The body is read in one task while another writes the previous buffer to disk, so an
    upload runs at the slower of network and disk rather than at their combined latency.
    """
    buffers, pending = anyio.create_memory_object_stream[bytearray](max_buffer_size=1)
    refusal: ApiError | None = None

    async def read_body() -> None:
        # Errors are handed over rather than raised, which a task group would wrap.
        nonlocal refusal
        received = 0
        buffer = bytearray()
        async with buffers:
            try:
                async for chunk in request.stream():
                    received += len(chunk)
                    if received > limit:
                        refusal = ApiError(
                            400, "CONTENT_LENGTH_MISMATCH", f"body exceeds {limit} bytes"
                        )
                        return
                    buffer += chunk
                    if len(buffer) >= WRITE_BUFFER_BYTES:
                        # Handed over, not copied: the next chunks go into a new buffer.
                        await buffers.send(buffer)
                        buffer = bytearray()
            except ClientDisconnect:
                refusal = ApiError(400, "INCOMPLETE_BODY", "the client went away mid-body")
                return
            if buffer:
                await buffers.send(buffer)

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(read_body)
        async with pending:
            async for buffer in pending:
                await to_thread.run_sync(writer.write, buffer)
    if refusal is not None:
        raise refusal


@router.put(OBJECT_PATH)
async def put_object(backend: str, key: str, request: Request) -> Response:
    """A whole object, or one part when the URL was signed with uploadId and partNumber."""
    store = _store(request, backend)
    grant = _verify(store, request, key, "PUT")
    is_part = grant.upload_id is not None
    if is_part != (grant.part_number is not None):
        raise ApiError(400, "BAD_REQUEST", "uploadId and partNumber go together")
    length = _expected_length(grant, request)
    md5 = _expected_md5(grant, request)
    with _storage_errors():
        if grant.upload_id is not None and grant.part_number is not None:
            writer = await to_thread.run_sync(
                store.part_writer, key, grant.upload_id, grant.part_number
            )
        else:
            writer = await to_thread.run_sync(store.writer, key)
    try:
        await _receive_into(writer, request, MAX_UNBOUND_BYTES if length is None else length)
        if length is not None and writer.size != length:
            raise ApiError(400, "INCOMPLETE_BODY", f"got {writer.size} of {length} bytes")
        if md5 is not None and writer.md5() != md5:
            raise ApiError(400, "BAD_DIGEST", "the body does not match Content-MD5")
        etag = quoted_md5(writer.md5())
        # Parts need no stored ETag: completion re-reads them and checks their MD5 anyway.
        await to_thread.run_sync(writer.commit, None if is_part else etag)
    finally:
        # Synchronous on purpose: it must also run when this task is being cancelled.
        writer.discard()
    return Response(status_code=200, headers={"ETag": etag})


def _completion_parts(body: bytes) -> list[tuple[int, str]]:
    """(PartNumber, ETag) pairs of a <CompleteMultipartUpload> document."""
    try:
        root = ET.fromstring(body)
        if _local_name(root.tag) != "CompleteMultipartUpload":
            raise ValueError("not a CompleteMultipartUpload document")
        parts = []
        for part in root:
            if _local_name(part.tag) != "Part":
                continue
            fields = {_local_name(child.tag): (child.text or "").strip() for child in part}
            parts.append((int(fields["PartNumber"]), fields["ETag"]))
    except (ET.ParseError, ValueError, KeyError) as exc:
        raise ApiError(400, "MALFORMED_XML", f"invalid completion document: {exc}") from exc
    return parts


def _local_name(tag: str) -> str:
    # Clients may or may not put the S3 namespace on the document.
    return tag.rsplit("}", 1)[-1]


async def _read_limited(request: Request, limit: int) -> bytes:
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise ApiError(400, "MALFORMED_XML", f"completion document exceeds {limit} bytes")
    except ClientDisconnect as exc:
        raise ApiError(400, "INCOMPLETE_BODY", "the client went away mid-body") from exc
    return bytes(body)


@router.post(OBJECT_PATH)
async def complete_multipart(backend: str, key: str, request: Request) -> Response:
    store = _store(request, backend)
    grant = _verify(store, request, key, "POST")
    if grant.upload_id is None or grant.part_number is not None:
        raise ApiError(400, "BAD_REQUEST", "a completion URL names an uploadId and no part")
    parts = _completion_parts(await _read_limited(request, MAX_COMPLETION_XML_BYTES))
    with _storage_errors():
        etag = await to_thread.run_sync(store.complete_multipart, key, grant.upload_id, parts)
    location = f"{store.base_url}/objects/{quote(backend, safe='')}/{quote(key, safe='/')}"
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<CompleteMultipartUploadResult xmlns="{S3_XMLNS}">'
        f"<Location>{escape(location)}</Location><Bucket>{escape(backend)}</Bucket>"
        f"<Key>{escape(key)}</Key><ETag>{escape(etag)}</ETag>"
        "</CompleteMultipartUploadResult>"
    )
    return Response(document, media_type="application/xml")


@router.get(OBJECT_PATH)
@router.head(OBJECT_PATH)
async def get_object(backend: str, key: str, request: Request) -> Response:
    """The object's bytes (a single Range gives 206); HEAD gives only its headers."""
    store = _store(request, backend)
    # A URL signed for GET also answers HEAD, so a client can check what it will download.
    _verify(store, request, key, "GET")
    with _storage_errors():
        info = await to_thread.run_sync(store.head, key)
    if info is None:
        raise ApiError(404, "NOT_FOUND", "no such object")
    headers = {"Content-Disposition": "attachment"}
    if info.etag is not None:
        headers["ETag"] = info.etag
    # FileResponse streams from a worker thread and implements Range, If-Range and HEAD.
    return FileResponse(store.path(key), headers=headers, media_type="application/octet-stream")
