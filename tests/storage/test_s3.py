"""The S3 backend against a real S3 server (moto), and the URLs it hands out.

moto checks neither signatures nor digests, so what we bind into URLs is checked by reading
the URLs; the flows themselves go through real HTTP.
"""

from __future__ import annotations

import io
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from photo_api.config import S3Backend
from photo_api.storage.base import ObjectNotFound, StorageError
from photo_api.storage.s3 import S3Store
from tests.fixtures.app_server import S3_BUCKET
from tests.fixtures.s3_server import S3Server
from tests.storage.payloads import TTL, MiB, completion_xml, md5_b64, md5_etag, new_key


def _signed_headers(url: str) -> set[str]:
    return set(parse_qs(urlsplit(url).query)["X-Amz-SignedHeaders"][0].split(";"))


def test_presigned_put_get_head(http: httpx.Client, s3: S3Store) -> None:
    key, data = new_key(), secrets.token_bytes(300_000)
    url = s3.presign_put(key, ttl=TTL, content_length=len(data), content_md5=md5_b64(data))
    response = http.put(url, content=data, headers={"Content-MD5": md5_b64(data)})
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == md5_etag(data)
    info = s3.head(key)
    assert info is not None and (info.size, info.etag) == (len(data), md5_etag(data))

    got = http.get(s3.presign_get(key, ttl=TTL))
    assert got.status_code == 200
    assert got.content == data
    assert got.headers["content-disposition"] == "attachment"
    assert got.headers["content-type"] == "application/octet-stream"


def test_checksum_bound_urls_sign_length_and_md5(s3: S3Store) -> None:
    key, md5 = new_key(), md5_b64(b"data")
    put = s3.presign_put(key, ttl=TTL, content_length=4, content_md5=md5)
    part = s3.presign_part(key, "upload-id", 3, ttl=TTL, content_length=4, content_md5=md5)
    for url in (put, part):
        assert {"content-length", "content-md5", "host"} <= _signed_headers(url)
        assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == [str(TTL)]
    assert parse_qs(urlsplit(part).query)["partNumber"] == ["3"]
    # museum's legacy URLs bind nothing but the host.
    assert _signed_headers(s3.presign_put(key, ttl=TTL)) == {"host"}


def test_download_url_forces_an_attachment(s3: S3Store) -> None:
    query = parse_qs(urlsplit(s3.presign_get(new_key(), ttl=TTL)).query)
    assert query["response-content-disposition"] == ["attachment"]
    assert query["response-content-type"] == ["application/octet-stream"]


def test_presigned_urls_use_the_public_endpoint(s3_server: S3Server) -> None:
    public = "https://s3.photos.example:9443"
    store = S3Store(
        "s3",
        S3Backend.model_validate(
            {
                "bucket": S3_BUCKET,
                "endpoint_url": s3_server.endpoint_url,
                "public_endpoint_url": public,
                "access_key": s3_server.access_key,
                "secret_key": s3_server.secret_key,
                "path_style": True,
            }
        ),
    )
    key = new_key()
    upload_id = store.create_multipart(key)  # server-side: reaches the real endpoint
    urls = [
        store.presign_put(key, ttl=TTL),
        store.presign_part(key, upload_id, 1, ttl=TTL),
        store.presign_complete(key, upload_id, ttl=TTL),
        store.presign_get(key, ttl=TTL),
    ]
    for url in urls:
        assert url.startswith(f"{public}/{S3_BUCKET}/{key}?")
    store.abort_multipart(key, upload_id)
    store.check()


def _upload_parts(
    http: httpx.Client, store: S3Store, key: str, upload_id: str, parts: list[bytes]
) -> list[str]:
    etags = []
    for number, part in enumerate(parts, start=1):
        url = store.presign_part(
            key, upload_id, number, ttl=TTL, content_length=len(part), content_md5=md5_b64(part)
        )
        response = http.put(url, content=part, headers={"Content-MD5": md5_b64(part)})
        assert response.status_code == 200, response.text
        etags.append(response.headers["etag"])
    return etags


@pytest.fixture(scope="module")
def parts() -> list[bytes]:
    # S3 (and moto) refuse parts under 5 MiB except the last.
    return [secrets.token_bytes(5 * MiB), secrets.token_bytes(5 * MiB), secrets.token_bytes(MiB)]


def test_multipart_upload(http: httpx.Client, s3: S3Store, parts: list[bytes]) -> None:
    key = new_key()
    upload_id = s3.create_multipart(key)
    etags = _upload_parts(http, s3, key, upload_id, parts)
    assert etags == [md5_etag(p) for p in parts]
    response = http.post(
        s3.presign_complete(key, upload_id, ttl=TTL),
        content=completion_xml(etags),
        headers={"Content-Type": "text/xml"},
    )
    assert response.status_code == 200, response.text
    assert "CompleteMultipartUploadResult" in response.text
    assert http.get(s3.presign_get(key, ttl=TTL)).content == b"".join(parts)
    info = s3.head(key)
    assert info is not None and info.size == sum(map(len, parts))


def test_completion_with_a_wrong_etag_is_refused(
    http: httpx.Client, s3: S3Store, parts: list[bytes]
) -> None:
    key = new_key()
    upload_id = s3.create_multipart(key)
    etags = _upload_parts(http, s3, key, upload_id, parts)
    wrong = [etags[0], md5_etag(b"forged"), etags[2]]
    response = http.post(
        s3.presign_complete(key, upload_id, ttl=TTL),
        content=completion_xml(wrong),
        headers={"Content-Type": "text/xml"},
    )
    assert response.status_code == 400
    assert "InvalidPart" in response.text
    assert s3.head(key) is None
    s3.abort_multipart(key, upload_id)
    s3.abort_multipart(key, upload_id)  # already gone is fine


def test_put_open_copy_delete_keys(s3: S3Store) -> None:
    prefix = f"{new_key()}/"
    data = secrets.token_bytes(20 * MiB + 3)  # above the multipart threshold
    s3.put(f"{prefix}a", io.BytesIO(data), len(data))
    with s3.open(f"{prefix}a") as stream:
        assert stream.read() == data
    s3.copy(f"{prefix}a", f"{prefix}b")
    info = s3.head(f"{prefix}b")
    assert info is not None and info.size == len(data)
    assert list(s3.keys(prefix)) == [f"{prefix}a", f"{prefix}b"]
    s3.delete(f"{prefix}a")
    s3.delete(f"{prefix}a")
    assert list(s3.keys(prefix)) == [f"{prefix}b"]
    with pytest.raises(ObjectNotFound):
        s3.open(f"{prefix}a")
    with pytest.raises(ObjectNotFound):
        s3.copy(f"{prefix}a", f"{prefix}c")


@pytest.mark.parametrize("size", [100, 20 * MiB])
def test_put_of_a_short_stream_stores_nothing(s3: S3Store, size: int) -> None:
    key = new_key()
    with pytest.raises(StorageError):
        s3.put(key, io.BytesIO(secrets.token_bytes(size - 1)), size)
    assert s3.head(key) is None
