"""Assemble the app: settings, lifespan-owned models, error handlers, routers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from pose_service.api.body_limit import BodyLimitMiddleware
from pose_service.api.docs import install_docs
from pose_service.api.errors import install_error_handlers
from pose_service.api.routes import health, models, pose
from pose_service.api.security import ServiceTokenDep
from pose_service.core.config import Settings, load_settings
from pose_service.models import ErrorPublic
from pose_service.services.device import resolve_device
from pose_service.services.inference_limiter import InferenceLimiter
from pose_service.services.pose_estimator import PoseEstimator

logger = logging.getLogger(__name__)

# Room for the multipart framing and the part headers around a file of max_upload_bytes.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        device = resolve_device(settings.device)
        estimator = PoseEstimator.load(settings, device)
        logger.info("loaded %s on %s", [m.value for m in settings.models], device)
        app.state.estimator = estimator
        app.state.limiter = InferenceLimiter(
            settings.max_concurrent_inference, settings.max_queued_requests, settings.retry_after_s
        )
        try:
            yield
        finally:
            estimator.close()

    app = FastAPI(title="pose-service", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    # Outside the lifespan: authentication needs the settings even when a request comes before the models load.
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_upload_bytes + MULTIPART_OVERHEAD_BYTES,
        timeout_s=settings.body_timeout_s,
    )
    install_docs(app)
    # Every API route, health included, answers only backend-api (its service token).
    unauthorized = {401: {"model": ErrorPublic, "description": "missing or wrong service token"}}
    for router in (health.router, pose.router, models.router):
        app.include_router(router, dependencies=[ServiceTokenDep], responses=unauthorized)
    return app
