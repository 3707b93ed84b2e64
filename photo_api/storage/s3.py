"""S3Store: any S3-compatible service through boto3.

Clients get URLs presigned by boto3's standard calls only: the tests cannot rely on test S3
servers to enforce what we sign (moto checks no signatures), so we sign exactly what S3
documents.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, BinaryIO, cast

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from photo_api.config import S3Backend
from photo_api.storage.base import InvalidPart, ObjectInfo, ObjectNotFound, StorageError

# Server-side calls (replication, copies) may move gigabytes; health probes must answer fast.
_SERVER_CONFIG = Config(
    signature_version="s3v4",
    connect_timeout=5,
    read_timeout=60,
    retries={"max_attempts": 3, "mode": "standard"},
    # boto3 ≥ 1.36 adds CRC checksums to every upload, which several S3-compatible servers
    # reject; send them only where the API requires them.
    request_checksum_calculation="when_required",
    response_checksum_validation="when_required",
)
_PROBE_CONFIG = Config(
    connect_timeout=1, read_timeout=2, retries={"total_max_attempts": 1, "mode": "standard"}
)
_TRANSFER = TransferConfig(multipart_chunksize=16 * 1024 * 1024, max_concurrency=4)
# S3's answers to a completion whose part list is at fault (400s, as opposed to the service's).
_REFUSED_PARTS = {"InvalidPart", "InvalidPartOrder", "EntityTooSmall", "MalformedXML"}


@contextmanager
def _s3_errors(action: str) -> Iterator[None]:
    try:
        yield
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404:
            raise ObjectNotFound(f"{action}: {exc}") from exc
        raise StorageError(f"{action}: {exc}") from exc
    except BotoCoreError as exc:
        raise StorageError(f"{action}: {exc}") from exc


class _Exactly:
    """A reader of exactly `size` bytes of a stream that fails, rather than ends, otherwise.

    An upload whose source fails is aborted, so a short or long stream stores nothing.
    """

    def __init__(self, stream: BinaryIO, size: int) -> None:
        self._stream = stream
        self._remaining = size

    def read(self, amount: int = -1) -> bytes:
        want = self._remaining if amount < 0 else min(amount, self._remaining)
        data = self._stream.read(want) if want else b""
        self._remaining -= len(data)
        if want and not data:
            raise StorageError(f"stream ended {self._remaining} bytes short")
        if self._remaining == 0 and self._stream.read(1):
            raise StorageError("stream is longer than its declared size")
        return data


class S3Store:
    def __init__(self, name: str, backend: S3Backend) -> None:
        self.name = name
        self.bucket = backend.bucket
        secret = backend.secret_key.get_secret_value() if backend.secret_key else None
        # None falls back to boto3's usual credential chain (environment, profile, IAM role).
        session = boto3.session.Session(
            aws_access_key_id=backend.access_key,
            aws_secret_access_key=secret,
            region_name=backend.region,
        )
        config = _SERVER_CONFIG.merge(
            Config(s3={"addressing_style": "path" if backend.path_style else "auto"})
        )
        self._client = session.client("s3", endpoint_url=backend.endpoint_url, config=config)
        # Presigned URLs embed their endpoint: it must be the one clients can reach.
        self._public = session.client(
            "s3", endpoint_url=backend.public_endpoint_url or backend.endpoint_url, config=config
        )
        self._probe = session.client(
            "s3", endpoint_url=backend.endpoint_url, config=config.merge(_PROBE_CONFIG)
        )

    # --- presigned URLs ----------------------------------------------------------------

    def _presign(
        self, operation: str, params: dict[str, Any], ttl: int, method: str | None = None
    ) -> str:
        url = self._public.generate_presigned_url(
            operation, Params={"Bucket": self.bucket, **params}, ExpiresIn=ttl, HttpMethod=method
        )
        return str(url)

    def presign_put(
        self,
        key: str,
        *,
        ttl: int,
        content_length: int | None = None,
        content_md5: str | None = None,
    ) -> str:
        # As Params, length and MD5 become headers listed in X-Amz-SignedHeaders.
        return self._presign("put_object", {"Key": key, **_bound(content_length, content_md5)}, ttl)

    def presign_part(
        self,
        key: str,
        upload_id: str,
        part_number: int,
        *,
        ttl: int,
        content_length: int | None = None,
        content_md5: str | None = None,
    ) -> str:
        params = {"Key": key, "UploadId": upload_id, "PartNumber": part_number}
        return self._presign("upload_part", params | _bound(content_length, content_md5), ttl)

    def presign_complete(self, key: str, upload_id: str, *, ttl: int) -> str:
        return self._presign(
            "complete_multipart_upload", {"Key": key, "UploadId": upload_id}, ttl, method="POST"
        )

    def presign_get(self, key: str, *, ttl: int) -> str:
        params = {
            "Key": key,
            "ResponseContentDisposition": "attachment",
            "ResponseContentType": "application/octet-stream",
        }
        return self._presign("get_object", params, ttl)

    # --- server-side calls -------------------------------------------------------------

    def create_multipart(self, key: str) -> str:
        with _s3_errors(f"create multipart upload of {key}"):
            response = self._client.create_multipart_upload(Bucket=self.bucket, Key=key)
        return str(response["UploadId"])

    def complete_multipart(self, key: str, upload_id: str, parts: Sequence[tuple[int, str]]) -> str:
        action = f"complete multipart upload of {key}"
        listed = [{"PartNumber": number, "ETag": etag} for number, etag in parts]
        with _s3_errors(action):
            try:
                response = self._client.complete_multipart_upload(
                    Bucket=self.bucket,
                    Key=key,
                    UploadId=upload_id,
                    MultipartUpload={"Parts": listed},
                )
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in _REFUSED_PARTS:
                    raise InvalidPart(f"{action}: {exc}") from exc
                raise
        return str(response["ETag"])

    def abort_multipart(self, key: str, upload_id: str) -> None:
        try:
            with _s3_errors(f"abort multipart upload of {key}"):
                self._client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
        except ObjectNotFound:
            pass

    def head(self, key: str) -> ObjectInfo | None:
        try:
            with _s3_errors(f"head {key}"):
                response = self._client.head_object(Bucket=self.bucket, Key=key)
        except ObjectNotFound:
            return None
        return ObjectInfo(size=int(response["ContentLength"]), etag=response.get("ETag"))

    def open(self, key: str) -> BinaryIO:
        with _s3_errors(f"get {key}"):
            response = self._client.get_object(Bucket=self.bucket, Key=key)
        # botocore's StreamingBody is an io.IOBase with read() and close().
        return cast(BinaryIO, response["Body"])

    def put(self, key: str, stream: BinaryIO, size: int) -> None:
        # upload_fileobj streams in bounded chunks (multipart above its threshold) and aborts
        # the upload when the source fails.
        with _s3_errors(f"put {key}"):
            self._client.upload_fileobj(_Exactly(stream, size), self.bucket, key, Config=_TRANSFER)

    def copy(self, src_key: str, dst_key: str) -> None:
        with _s3_errors(f"copy {src_key} to {dst_key}"):
            self._client.copy(
                {"Bucket": self.bucket, "Key": src_key}, self.bucket, dst_key, Config=_TRANSFER
            )

    def delete(self, key: str) -> None:
        with _s3_errors(f"delete {key}"):
            self._client.delete_object(Bucket=self.bucket, Key=key)

    def keys(self, prefix: str = "") -> Iterator[str]:
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        with _s3_errors(f"list {prefix!r}"):
            for page in pages:
                for item in page.get("Contents", []):
                    yield str(item["Key"])

    def check(self) -> None:
        with _s3_errors(f"bucket {self.bucket}"):
            self._probe.head_bucket(Bucket=self.bucket)

    def cors_rules(self) -> list[dict[str, Any]]:
        """The bucket's CORS rules; none when it has no CORS configuration."""
        try:
            response = self._probe.get_bucket_cors(Bucket=self.bucket)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "NoSuchCORSConfiguration":
                return []
            raise StorageError(f"CORS rules of bucket {self.bucket}: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"CORS rules of bucket {self.bucket}: {exc}") from exc
        return list(response.get("CORSRules", []))


def _bound(content_length: int | None, content_md5: str | None) -> dict[str, Any]:
    bound: dict[str, Any] = {}
    if content_length is not None:
        bound["ContentLength"] = content_length
    if content_md5 is not None:
        bound["ContentMD5"] = content_md5
    return bound
