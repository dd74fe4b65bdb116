"""One place that turns failures into JSON: client errors keep their message, server errors hide theirs."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from pose_service.errors import ClientInputError

logger = logging.getLogger(__name__)


async def client_error_handler(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ClientInputError)
    return JSONResponse({"code": error.code, "detail": str(error)}, status_code=error.status_code)


async def server_error_handler(request: Request, error: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return JSONResponse({"code": "internal_error", "detail": "internal server error"}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ClientInputError, client_error_handler)
    app.add_exception_handler(Exception, server_error_handler)
