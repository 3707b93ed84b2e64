"""The local backend over real HTTP: the strict one, which must refuse what S3 refuses."""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from photo_api.storage.atomic import TEMP_PREFIX
from photo_api.storage.local import STAGING_DIR, LocalStore
from photo_api.storage.signing import Grant
from tests.storage.payloads import TTL, completion_xml, md5_b64, md5_etag, new_key


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query)) | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def _hidden_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(TEMP_PREFIX)]


def _temp_holds_bytes(directory: Path) -> bool:
    return directory.exists() and any(p.stat().st_size > 0 for p in _hidden_files(directory))


def _put(http: httpx.Client, store: LocalStore, key: str, data: bytes) -> httpx.Response:
    url = store.presign_put(key, ttl=TTL, content_length=len(data), content_md5=md5_b64(data))
    return http.put(url, content=data, headers={"Content-MD5": md5_b64(data)})


def test_signed_put_then_get_and_head(http: httpx.Client, local: LocalStore) -> None:
    key, data = new_key(), secrets.token_bytes(300_000)
    response = _put(http, local, key, data)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == md5_etag(data)
    info = local.head(key)
    assert info is not None and (info.size, info.etag) == (len(data), md5_etag(data))

    url = local.presign_get(key, ttl=TTL)
    got = http.get(url)
    assert got.status_code == 200
    assert got.content == data
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"] == "attachment"
    assert got.headers["etag"] == md5_etag(data)

    head = http.head(url)
    assert head.status_code == 200
    assert int(head.headers["content-length"]) == len(data)
    assert head.headers["etag"] == md5_etag(data)


def test_get_single_range(http: httpx.Client, local: LocalStore) -> None:
    key, data = new_key(), secrets.token_bytes(10_000)
    assert _put(http, local, key, data).status_code == 200
    response = http.get(local.presign_get(key, ttl=TTL), headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert response.content == data[100:200]
    assert response.headers["content-range"] == f"bytes 100-199/{len(data)}"


def test_put_without_bound_length_or_digest(http: httpx.Client, local: LocalStore) -> None:
    """museum's legacy upload-urls sign neither; a chunked body without a length is fine."""
    key, data = new_key(), secrets.token_bytes(3 * 1024 * 1024 + 7)
    chunks = (data[i : i + 65536] for i in range(0, len(data), 65536))
    response = http.put(local.presign_put(key, ttl=TTL), content=chunks)
    assert response.status_code == 200, response.text
    assert http.get(local.presign_get(key, ttl=TTL)).content == data


@pytest.mark.parametrize(
    "tamper",
    ["signature", "expires", "contentLength", "contentMD5", "no-signature", "other-key"],
)
def test_tampered_url_is_refused(http: httpx.Client, local: LocalStore, tamper: str) -> None:
    key, data = new_key(), b"x" * 100
    url = local.presign_put(key, ttl=TTL, content_length=len(data), content_md5=md5_b64(data))
    query = dict(parse_qsl(urlsplit(url).query))
    if tamper == "signature":
        url = _with_query(url, signature=query["signature"][:-2] + "AA")
    elif tamper == "expires":
        url = _with_query(url, expires=str(int(query["expires"]) + 3600))
    elif tamper == "contentLength":
        url = _with_query(url, contentLength="101")
    elif tamper == "contentMD5":
        url = _with_query(url, contentMD5=md5_b64(b"y" * 100))
    elif tamper == "no-signature":
        url = urlunsplit(
            urlsplit(url)._replace(
                query=urlencode({k: v for k, v in query.items() if k != "signature"})
            )
        )
    else:
        url = url.replace(key, new_key())
    response = http.put(url, content=data, headers={"Content-MD5": md5_b64(data)})
    assert response.status_code == 403
    assert response.json()["code"] == "SIGNATURE_MISMATCH"
    assert local.head(key) is None


def test_url_for_another_method_is_refused(http: httpx.Client, local: LocalStore) -> None:
    key, data = new_key(), b"z" * 10
    assert _put(http, local, key, data).status_code == 200
    put_url = local.presign_put(key, ttl=TTL)
    assert http.get(put_url).status_code == 403
    assert http.put(local.presign_get(key, ttl=TTL), content=b"other").status_code == 403
    assert http.get(local.presign_get(key, ttl=TTL)).content == data


def test_expired_url_is_refused(http: httpx.Client, local: LocalStore) -> None:
    key, data = new_key(), b"late"
    assert _put(http, local, key, data).status_code == 200
    expired = Grant(method="GET", backend=local.name, key=key, expires=int(time.time()) - 1)
    response = http.get(local.url(expired))
    assert response.status_code == 403
    assert response.json()["code"] == "URL_EXPIRED"

    put = Grant(method="PUT", backend=local.name, key=new_key(), expires=int(time.time()) - 1)
    assert http.put(local.url(put), content=b"late").status_code == 403
    assert local.head(put.key) is None


def test_body_not_matching_signed_md5_is_refused(http: httpx.Client, local: LocalStore) -> None:
    key, data = new_key(), secrets.token_bytes(2 * 1024 * 1024)
    url = local.presign_put(key, ttl=TTL, content_length=len(data), content_md5=md5_b64(data))
    other = secrets.token_bytes(len(data))
    response = http.put(url, content=other, headers={"Content-MD5": md5_b64(data)})
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_DIGEST"
    # Without the header the signed digest still applies.
    assert http.put(url, content=other).status_code == 400
    assert local.head(key) is None
    assert _hidden_files(local.root) == []


def test_content_md5_header_other_than_signed_is_refused(
    http: httpx.Client, local: LocalStore
) -> None:
    key, data = new_key(), b"abc" * 100
    url = local.presign_put(key, ttl=TTL, content_length=len(data), content_md5=md5_b64(data))
    other = b"xyz" * 100
    response = http.put(url, content=other, headers={"Content-MD5": md5_b64(other)})
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_DIGEST"
    assert local.head(key) is None


def test_unsigned_content_md5_is_still_checked(http: httpx.Client, local: LocalStore) -> None:
    key = new_key()
    response = http.put(
        local.presign_put(key, ttl=TTL),
        content=b"body",
        headers={"Content-MD5": md5_b64(b"another body")},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_DIGEST"


@pytest.mark.parametrize("delta", [-1, 1])
def test_body_of_other_length_is_refused(http: httpx.Client, local: LocalStore, delta: int) -> None:
    key, data = new_key(), secrets.token_bytes(1000)
    url = local.presign_put(key, ttl=TTL, content_length=len(data), content_md5=md5_b64(data))
    response = http.put(url, content=secrets.token_bytes(len(data) + delta))
    assert response.status_code == 400
    assert response.json()["code"] == "CONTENT_LENGTH_MISMATCH"
    # A chunked body declares no length: it is counted instead.
    body = secrets.token_bytes(len(data) + delta)
    response = http.put(url, content=iter([body[:500], body[500:]]))
    assert response.status_code == 400
    assert local.head(key) is None
    assert _hidden_files(local.root) == []


def test_unknown_object_and_backend_are_404(http: httpx.Client, local: LocalStore) -> None:
    missing = local.presign_get(new_key(), ttl=TTL)
    response = http.get(missing)
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
    assert http.head(missing).status_code == 404
    for backend in ("nope", "s3"):
        url = missing.replace(f"/objects/{local.name}/", f"/objects/{backend}/")
        response = http.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "NOT_FOUND"


def _upload_parts(
    http: httpx.Client, store: LocalStore, key: str, upload_id: str, parts: list[bytes]
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


def test_multipart_upload(http: httpx.Client, local: LocalStore) -> None:
    key = new_key()
    parts = [secrets.token_bytes(1024 * 1024), secrets.token_bytes(1024 * 1024), b"tail"]
    upload_id = local.create_multipart(key)
    etags = _upload_parts(http, local, key, upload_id, parts)
    assert etags == [md5_etag(p) for p in parts]

    response = http.post(
        local.presign_complete(key, upload_id, ttl=TTL),
        content=completion_xml(etags),
        headers={"Content-Type": "text/xml"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    assert "<CompleteMultipartUploadResult" in response.text
    assert f"<Key>{key}</Key>" in response.text
    assert '-3"</ETag>' in response.text

    assert http.get(local.presign_get(key, ttl=TTL)).content == b"".join(parts)
    info = local.head(key)
    assert info is not None and info.size == sum(map(len, parts))
    assert not (local.root / STAGING_DIR / upload_id).exists()


def test_completion_accepts_the_s3_namespace(http: httpx.Client, local: LocalStore) -> None:
    key, parts = new_key(), [b"one", b"two"]
    upload_id = local.create_multipart(key)
    etags = _upload_parts(http, local, key, upload_id, parts)
    document = completion_xml(etags).replace(
        b"<CompleteMultipartUpload>",
        b'<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    )
    response = http.post(local.presign_complete(key, upload_id, ttl=TTL), content=document)
    assert response.status_code == 200, response.text
    assert http.get(local.presign_get(key, ttl=TTL)).content == b"onetwo"


def test_completion_with_a_wrong_etag_is_refused(http: httpx.Client, local: LocalStore) -> None:
    key, parts = new_key(), [b"a" * 1000, b"b" * 1000, b"c" * 10]
    upload_id = local.create_multipart(key)
    etags = _upload_parts(http, local, key, upload_id, parts)
    complete = local.presign_complete(key, upload_id, ttl=TTL)

    for wrong in (
        [etags[0], md5_etag(b"forged"), etags[2]],
        [etags[1], etags[0], etags[2]],
    ):
        response = http.post(
            complete, content=completion_xml(wrong), headers={"Content-Type": "text/xml"}
        )
        assert response.status_code == 400
        assert response.json()["code"] == "INVALID_PART"
    out_of_order = completion_xml(etags).replace(b"<PartNumber>1<", b"<PartNumber>9<")
    assert http.post(complete, content=out_of_order).status_code == 400
    assert http.post(complete, content=b"<not-xml").json()["code"] == "MALFORMED_XML"
    assert local.head(key) is None
    assert _hidden_files(local.root) == []

    # The parts survive a refused completion, so the right one still succeeds.
    assert http.post(complete, content=completion_xml(etags)).status_code == 200
    assert http.get(local.presign_get(key, ttl=TTL)).content == b"".join(parts)


def test_part_with_a_wrong_digest_is_refused(http: httpx.Client, local: LocalStore) -> None:
    key = new_key()
    upload_id = local.create_multipart(key)
    url = local.presign_part(
        key, upload_id, 1, ttl=TTL, content_length=4, content_md5=md5_b64(b"good")
    )
    response = http.put(url, content=b"evil")
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_DIGEST"


def test_aborted_upload_is_gone(http: httpx.Client, local: LocalStore) -> None:
    key = new_key()
    upload_id = local.create_multipart(key)
    _upload_parts(http, local, key, upload_id, [b"part"])
    local.abort_multipart(key, upload_id)
    assert not (local.root / STAGING_DIR / upload_id).exists()
    response = http.put(local.presign_part(key, upload_id, 2, ttl=TTL), content=b"late")
    assert response.status_code == 404
    assert response.json()["code"] == "NO_SUCH_UPLOAD"
    complete = http.post(
        local.presign_complete(key, upload_id, ttl=TTL), content=completion_xml([md5_etag(b"part")])
    )
    assert complete.status_code == 404


def test_upload_id_of_another_key_is_refused(http: httpx.Client, local: LocalStore) -> None:
    upload_id = local.create_multipart(new_key())
    response = http.put(local.presign_part(new_key(), upload_id, 1, ttl=TTL), content=b"x")
    assert response.status_code == 404


def _send_truncated(url: str, declared: int, sent: bytes, in_flight: Callable[[], bool]) -> None:
    """PUT declaring `declared` bytes, send fewer, and hang up once `in_flight()` holds."""
    parts = urlsplit(url)
    target = f"{parts.path}?{parts.query}"
    with socket.create_connection((parts.hostname, parts.port)) as sock:
        sock.sendall(
            f"PUT {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Content-Length: {declared}\r\n\r\n".encode()
        )
        sock.sendall(sent)
        assert _wait_until(in_flight), "the server never started writing the upload"


def _wait_until(predicate: Callable[[], bool], timeout: float = 5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("bound", [True, False])
def test_interrupted_upload_leaves_nothing(local: LocalStore, bound: bool) -> None:
    key, data = new_key(), secrets.token_bytes(4 * 1024 * 1024)
    url = (
        local.presign_put(key, ttl=TTL, content_length=len(data), content_md5=md5_b64(data))
        if bound
        else local.presign_put(key, ttl=TTL)
    )
    directory = local.path(key).parent
    # Past the write buffer, so bytes are on disk in the temp file when the client goes.
    sent = data[: 3 * len(data) // 4]
    _send_truncated(url, len(data), sent, lambda: _temp_holds_bytes(directory))
    assert _wait_until(lambda: not _hidden_files(directory)), _hidden_files(directory)
    assert local.head(key) is None


def test_interrupted_part_leaves_nothing(local: LocalStore) -> None:
    key, part = new_key(), secrets.token_bytes(2 * 1024 * 1024)
    upload_id = local.create_multipart(key)
    url = local.presign_part(
        key, upload_id, 1, ttl=TTL, content_length=len(part), content_md5=md5_b64(part)
    )
    staging = local.root / STAGING_DIR / upload_id
    _send_truncated(url, len(part), part[:1000], lambda: len(os.listdir(staging)) == 2)
    assert _wait_until(lambda: sorted(os.listdir(staging)) == ["key"]), os.listdir(staging)
