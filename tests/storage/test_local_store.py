"""LocalStore's server-side calls and its URL signer, without HTTP."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

import pytest

from photo_api.config import load_settings
from photo_api.storage.base import ObjectNotFound, StorageError
from photo_api.storage.local import InvalidKey, LocalStore
from photo_api.storage.registry import build_stores
from photo_api.storage.signing import Grant, SignatureExpired, SignatureInvalid, UrlSigner
from tests.storage.payloads import TTL, md5_etag, new_key

KEY = secrets.token_bytes(32)


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(
        "local", tmp_path / "objects", signer=UrlSigner(KEY), base_url="http://photos.example"
    )


@pytest.mark.parametrize(
    "key",
    [
        "",
        "/etc/passwd",
        "1/../../etc/passwd",
        "..",
        "1/..",
        "1/./x",
        "1//x",
        "1/x/",
        "1\\x",
        "1/x\x00",
        "1/x\n",
        ".multipart/abc",
        "1/.tmp-abc",
        "x" * 1025,
    ],
)
def test_unsafe_keys_are_refused(store: LocalStore, key: str) -> None:
    with pytest.raises(InvalidKey):
        store.presign_put(key, ttl=TTL)
    with pytest.raises(InvalidKey):
        store.head(key)
    with pytest.raises(InvalidKey):
        store.put(key, io.BytesIO(b"x"), 1)


@pytest.mark.parametrize(
    "key",
    [
        "1580559962386438/3f0c2b1e-aaaa-4bbb-8ccc-0123456789ab",
        "1580559962386438/file-data/42/mldata",
    ],
)
def test_museum_keys_are_accepted(store: LocalStore, key: str) -> None:
    store.put(key, io.BytesIO(b"data"), 4)
    assert store.head(key) is not None


def test_put_open_copy_delete_keys(store: LocalStore) -> None:
    data = secrets.token_bytes(3 * 1024 * 1024 + 1)
    store.put("7/a", io.BytesIO(data), len(data))
    info = store.head("7/a")
    assert info is not None and (info.size, info.etag) == (len(data), md5_etag(data))
    with store.open("7/a") as stream:
        assert stream.read() == data

    store.copy("7/a", "8/file-data/1/mldata")
    with store.open("8/file-data/1/mldata") as stream:
        assert stream.read() == data
    store.put("70/b", io.BytesIO(b"b"), 1)
    upload_id = store.create_multipart("7/c")  # staging is not an object

    assert list(store.keys()) == ["7/a", "70/b", "8/file-data/1/mldata"]
    assert list(store.keys("7/")) == ["7/a"]
    assert list(store.keys("7")) == ["7/a", "70/b"]
    assert list(store.keys("8/file-data/")) == ["8/file-data/1/mldata"]

    store.delete("7/a")
    store.delete("7/a")  # missing is fine
    assert store.head("7/a") is None
    with pytest.raises(ObjectNotFound):
        store.open("7/a")
    with pytest.raises(ObjectNotFound):
        store.copy("7/a", "7/z")
    # The copy is independent of its source.
    assert store.head("8/file-data/1/mldata") is not None
    store.abort_multipart("7/c", upload_id)


@pytest.mark.parametrize("sent", [b"short", b"much too long"])
def test_put_of_a_stream_of_the_wrong_size_stores_nothing(store: LocalStore, sent: bytes) -> None:
    with pytest.raises(StorageError):
        store.put("1/x", io.BytesIO(sent), 8)
    assert store.head("1/x") is None
    assert [p.name for p in (store.root / "1").iterdir()] == []


def test_check(store: LocalStore) -> None:
    store.check()
    store.root.rmdir()
    with pytest.raises(StorageError):
        store.check()


def test_urls_are_built_on_the_public_base_url(store: LocalStore) -> None:
    url = store.presign_put("1/x", ttl=TTL, content_length=5, content_md5="q/+=")
    assert url.startswith("http://photos.example/objects/local/1/x?")
    assert "contentMD5=q%2F%2B%3D" in url


def test_signer_round_trip_and_rejections() -> None:
    now = 1_800_000_000.0
    signer = UrlSigner(KEY, clock=lambda: now)
    grant = Grant(
        method="PUT",
        backend="local",
        key="1/x",
        expires=int(now) + 10,
        content_length=5,
        content_md5="abc=",
        upload_id="u",
        part_number=2,
    )
    params = signer.signed_query(grant)
    assert signer.verify(method="PUT", backend="local", key="1/x", params=params) == grant
    for method, backend, key in [
        ("GET", "local", "1/x"),
        ("PUT", "s3", "1/x"),
        ("PUT", "local", "1/y"),
    ]:
        with pytest.raises(SignatureInvalid):
            signer.verify(method=method, backend=backend, key=key, params=params)
    for name in params:
        changed = params | {name: params[name] + "1"}
        with pytest.raises(SignatureInvalid):
            signer.verify(method="PUT", backend="local", key="1/x", params=changed)
    with pytest.raises(SignatureInvalid):
        UrlSigner(secrets.token_bytes(32)).verify(
            method="PUT", backend="local", key="1/x", params=params
        )
    later = UrlSigner(KEY, clock=lambda: now + 11)
    with pytest.raises(SignatureExpired):
        later.verify(method="PUT", backend="local", key="1/x", params=params)


def test_two_local_backends_cannot_share_a_directory(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path,
        storage={"hot": "a", "backends": {"a": {"type": "local"}, "b": {"type": "local"}}},
    )
    with pytest.raises(ValueError, match="share"):
        build_stores(settings)


def test_stores_name_the_hot_one_and_the_replicas(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path,
        storage={
            "hot": "b",
            "backends": {
                "a": {"type": "local", "path": str(tmp_path / "a")},
                "b": {"type": "local"},
                "c": {"type": "s3", "bucket": "photos"},
            },
        },
    )
    stores = build_stores(settings)
    assert stores.hot is stores.get("b")
    assert stores.hot_name == "b"
    assert [name for name, _ in stores] == ["a", "b", "c"]
    assert [name for name, _ in stores.replicas()] == ["a", "c"]
    assert stores.get("d") is None
    key = new_key()
    assert stores.hot.presign_get(key, ttl=TTL).startswith(f"{settings.base_url}/objects/b/{key}?")
