"""create_app(settings): routers, middleware and lifespan. Wiring only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from photo_api import __version__, metrics
from photo_api.admin.router import router as admin_router
from photo_api.collection_actions.router import router as collection_actions_router
from photo_api.collections.router import router as collections_router
from photo_api.config import Settings, load_settings
from photo_api.db.engine import make_engine
from photo_api.db.session import Database
from photo_api.entities.router import router as entities_router
from photo_api.errors import install_error_handlers
from photo_api.family.router import router as family_router
from photo_api.file_links.router import router as file_links_router
from photo_api.filedata.router import router as filedata_router
from photo_api.files.router import router as files_router
from photo_api.jobs import expiry, object_cleanup, replication, trash_expiry
from photo_api.jobs.scheduler import Job, Scheduler
from photo_api.logging import configure_logging
from photo_api.login.router import router as login_router
from photo_api.middleware import CorsMiddleware, JsonBodyMiddleware, RequestContextMiddleware
from photo_api.ops.router import router as ops_router
from photo_api.passkeys.router import router as passkeys_router
from photo_api.public_links.router import router as public_links_router
from photo_api.sharing.router import router as sharing_router
from photo_api.social.public_router import router as social_public_router
from photo_api.social.router import router as social_router
from photo_api.storage.local_routes import router as local_storage_router
from photo_api.storage.registry import Stores, build_stores
from photo_api.storage_api.router import router as storage_api_router
from photo_api.trash.router import router as trash_router
from photo_api.users.router import router as users_router


def background_jobs(db: Database, settings: Settings, stores: Stores) -> list[Job]:
    return [
        Job("expiry", 60, lambda: expiry.run(db)),
        Job("trash_expiry", 101, lambda: trash_expiry.run(db, settings)),
        Job("object_cleanup", 480, lambda: object_cleanup.run(db, stores)),
        *replication.jobs(db, settings, stores),
    ]


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        jobs = background_jobs(app.state.db, settings, app.state.stores)
        scheduler = Scheduler(jobs if settings.jobs_enabled else [])
        scheduler.start()
        yield
        await scheduler.stop()
        app.state.db.dispose()

    app = FastAPI(title="Photo API", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    app.state.db = Database(make_engine(settings.resolved_database_url))
    app.state.stores = build_stores(settings)

    install_error_handlers(app)
    # Added innermost first: the request id wraps everything, CORS covers every response.
    app.add_middleware(JsonBodyMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(CorsMiddleware)
    app.add_middleware(RequestContextMiddleware)
    metrics.install(app, settings)

    app.include_router(ops_router)
    app.include_router(login_router)
    app.include_router(passkeys_router)
    app.include_router(users_router)
    app.include_router(admin_router)
    app.include_router(files_router)
    app.include_router(sharing_router)
    app.include_router(collections_router)
    app.include_router(trash_router)
    app.include_router(family_router)
    app.include_router(public_links_router)
    app.include_router(file_links_router)
    app.include_router(entities_router)
    app.include_router(filedata_router)
    app.include_router(collection_actions_router)
    app.include_router(social_router)
    app.include_router(social_public_router)
    app.include_router(storage_api_router)
    app.include_router(local_storage_router)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory`: settings from PHOTO_API_* and PHOTO_API_CONFIG."""
    settings = load_settings()
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    return create_app(settings)
