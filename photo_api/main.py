"""create_app(settings): routers, middleware and lifespan. Wiring only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from photo_api import __version__, metrics, openapi
from photo_api.admin.router import router as admin_router
from photo_api.auth.usage import TokenUsage
from photo_api.authenticator.router import router as authenticator_router
from photo_api.billing.router import router as billing_router
from photo_api.cast.router import router as cast_router
from photo_api.collection_actions.router import router as collection_actions_router
from photo_api.collections.router import router as collections_router
from photo_api.config import Settings, load_settings
from photo_api.contacts.router import router as contacts_router
from photo_api.db.session import Database, open_database
from photo_api.entities.router import router as entities_router
from photo_api.errors import install_error_handlers
from photo_api.events.router import router as events_router
from photo_api.family.router import router as family_router
from photo_api.file_links.router import router as file_links_router
from photo_api.filedata.router import router as filedata_router
from photo_api.files.router import router as files_router
from photo_api.jobs import expiry, legacy, object_cleanup, replication, trash_expiry
from photo_api.jobs.scheduler import Job, Scheduler
from photo_api.legacy.router import router as legacy_router
from photo_api.logging import configure_logging
from photo_api.login.router import router as login_router
from photo_api.memory_share.router import router as memory_share_router
from photo_api.middleware import CorsMiddleware, JsonBodyMiddleware, RequestContextMiddleware
from photo_api.ops import identity
from photo_api.ops.router import router as ops_router
from photo_api.passkeys.router import router as passkeys_router
from photo_api.public_links.router import router as public_links_router
from photo_api.push.router import router as push_router
from photo_api.sharing.router import router as sharing_router
from photo_api.social.public_router import router as social_public_router
from photo_api.social.router import router as social_router
from photo_api.storage.local_routes import router as local_storage_router
from photo_api.storage.registry import Stores, build_stores
from photo_api.storage_api.router import router as storage_api_router
from photo_api.storage_bonus.router import router as storage_bonus_router
from photo_api.trash.router import router as trash_router
from photo_api.users.router import router as users_router


def background_jobs(db: Database, settings: Settings, stores: Stores) -> list[Job]:
    return [
        Job("expiry", 60, lambda: expiry.run(db)),
        Job("trash_expiry", 101, lambda: trash_expiry.run(db, settings)),
        Job("object_cleanup", 480, lambda: object_cleanup.run(db, stores)),
        Job("legacy", 3600, lambda: legacy.run(db, settings)),
        *replication.jobs(db, settings, stores),
    ]


def _worker_threads(settings: Settings) -> int:
    """Enough threads that the requests holding database slots (and their side transactions)
    never wait for one, with room for the jobs and for requests that do not use the database."""
    return max(40, 2 * settings.db_connections + 24)


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db: Database = app.state.db
        anyio.to_thread.current_default_thread_limiter().total_tokens = _worker_threads(settings)
        await run_in_threadpool(identity.check, db, settings)
        usage: TokenUsage = app.state.token_usage
        jobs = background_jobs(db, settings, app.state.stores) if settings.jobs_enabled else []
        # Every process writes the token uses it noted, whether or not it runs the jobs.
        jobs.append(Job("token_usage", 30, lambda: usage.flush(db), shared=False))
        scheduler = Scheduler(jobs, db)
        scheduler.start()
        yield
        await scheduler.stop()
        await run_in_threadpool(usage.flush, db)
        db.dispose()

    # No slash redirects: their Location would be built from the request's scheme and host,
    # http:// behind a TLS proxy. The paths clients call with a slash are served at both
    # forms (photo_api.routing); any other slashed path is a JSON 404.
    app = FastAPI(title="Photo API", version=__version__, lifespan=lifespan, redirect_slashes=False)
    app.state.settings = settings
    app.state.db = open_database(settings)
    app.state.stores = build_stores(settings)
    app.state.token_usage = TokenUsage()

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
    app.include_router(billing_router)
    app.include_router(storage_bonus_router)
    app.include_router(push_router)
    app.include_router(events_router)
    app.include_router(admin_router)
    app.include_router(files_router)
    app.include_router(sharing_router)
    app.include_router(collections_router)
    app.include_router(trash_router)
    app.include_router(family_router)
    app.include_router(legacy_router)
    app.include_router(public_links_router)
    app.include_router(file_links_router)
    app.include_router(memory_share_router)
    app.include_router(cast_router)
    app.include_router(entities_router)
    app.include_router(contacts_router)
    app.include_router(authenticator_router)
    app.include_router(filedata_router)
    app.include_router(collection_actions_router)
    app.include_router(social_router)
    app.include_router(social_public_router)
    app.include_router(storage_api_router)
    app.include_router(local_storage_router)
    openapi.install(app)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory`: settings from PHOTO_API_* and PHOTO_API_CONFIG."""
    settings = load_settings()
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    return create_app(settings)
