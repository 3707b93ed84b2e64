"""The configured backends, by name: one hot store that takes uploads, the others replicas."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from photo_api.config import LocalBackend, Settings
from photo_api.storage.base import ObjectStore
from photo_api.storage.local import LocalStore
from photo_api.storage.s3 import S3Store
from photo_api.storage.signing import UrlSigner


class Stores:
    def __init__(self, stores: dict[str, ObjectStore], *, hot: str) -> None:
        if hot not in stores:
            raise ValueError(f"hot store {hot!r} is not configured")
        self._stores = dict(stores)
        self.hot_name = hot

    @property
    def hot(self) -> ObjectStore:
        """Where uploads go and downloads come from."""
        return self._stores[self.hot_name]

    def get(self, name: str) -> ObjectStore | None:
        return self._stores.get(name)

    def replicas(self) -> Iterator[tuple[str, ObjectStore]]:
        """Every store but the hot one: the targets of replication."""
        return ((name, store) for name, store in self if name != self.hot_name)

    def __iter__(self) -> Iterator[tuple[str, ObjectStore]]:
        return iter(self._stores.items())


def build_stores(settings: Settings) -> Stores:
    signer = UrlSigner(settings.keys.raw("url_signing_key"))
    stores: dict[str, ObjectStore] = {}
    local_roots: dict[Path, str] = {}
    for name, backend in settings.storage.backends.items():
        if isinstance(backend, LocalBackend):
            root = (backend.path or settings.data_dir / "objects").resolve()
            # Two names over one directory would make "replicas" that are the same files.
            if root in local_roots:
                other = local_roots[root]
                raise ValueError(f"storage backends {other!r} and {name!r} share {root}")
            local_roots[root] = name
            stores[name] = LocalStore(name, root, signer=signer, base_url=settings.base_url)
        else:
            stores[name] = S3Store(name, backend)
    return Stores(stores, hot=settings.storage.hot)
