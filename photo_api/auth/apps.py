"""The "app" a request belongs to, from X-Client-Package, as museum decides it."""

from typing import Literal

App = Literal["photos", "auth", "locker"]


def app_from_package(package: str | None) -> App:
    if package and package.startswith("io.ente.auth"):
        return "auth"
    if package and package.startswith("io.ente.locker"):
        return "locker"
    return "photos"
