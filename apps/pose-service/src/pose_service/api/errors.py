"""One place that turns failures into JSON: client errors keep their message, server errors hide theirs."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from pose_service.errors import ClientInputError, ServiceBusyError

logger = logging.getLogger(__name__)


async def client_error_handler(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ClientInputError)
    headers = {"Retry-After": str(error.retry_after_s)} if isinstance(error, ServiceBusyError) else error.headers
    return JSONResponse({"code": error.code, "detail": str(error)}, status_code=error.status_code, headers=headers)


def _describe_validation(error: RequestValidationError) -> str:
    return "; ".join(f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors())


async def validation_error_handler(_request: Request, error: Exception) -> JSONResponse:
    # The OpenAPI document promises ErrorPublic for 422, so FastAPI's {"detail": [...]} is reshaped here.
    assert isinstance(error, RequestValidationError)
    return JSONResponse({"code": "invalid_request", "detail": _describe_validation(error)}, status_code=422)


async def http_error_handler(_request: Request, error: Exception) -> JSONResponse:
    """Starlette's own 4xx (a malformed multipart body, an unknown route or method) in our {code, detail} shape."""
    assert isinstance(error, HTTPException)
    code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(
        error.status_code, f"http_{error.status_code}"
    )
    # FastAPI's "error parsing the body" keeps the parser's reason (no boundary, ...) only as the cause.
    detail = f"{error.detail}: {error.__cause__}" if error.__cause__ else str(error.detail)
    return JSONResponse({"code": code, "detail": detail}, status_code=error.status_code, headers=error.headers)


async def server_error_handler(request: Request, error: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return JSONResponse({"code": "internal_error", "detail": "internal server error"}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ClientInputError, client_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(HTTPException, http_error_handler)
    app.add_exception_handler(Exception, server_error_handler)
