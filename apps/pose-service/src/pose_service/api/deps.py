"""Request-scoped access to what the lifespan owns, as named Annotated dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, UploadFile
from starlette.datastructures import UploadFile as StarletteUploadFile

from pose_service.core.config import Settings
from pose_service.errors import ClientInputError, EmptyUploadError, UploadTooLargeError
from pose_service.services.inference_limiter import InferenceLimiter
from pose_service.services.pose_estimator import PoseEstimator

UPLOAD_FIELD = "file"

_CHUNK = 1024 * 1024


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_estimator(request: Request) -> PoseEstimator:
    return request.app.state.estimator


def get_limiter(request: Request) -> InferenceLimiter:
    return request.app.state.limiter


async def require_single_file(request: Request) -> None:
    """One rule for several files, shared with backend-api: a second file anywhere in the form is refused (400,
    naming its field) rather than one of them being picked silently."""
    form = await request.form()  # already parsed for the File parameter; Starlette caches it
    fields = [name for name, value in form.multi_items() if isinstance(value, StarletteUploadFile)]
    if len(fields) > 1:
        raise ClientInputError(
            f"send exactly one file, in the {UPLOAD_FIELD!r} field; this upload has {len(fields)} files"
            f" (fields {', '.join(repr(name) for name in fields)})"
        )


SettingsDep = Annotated[Settings, Depends(get_settings)]
EstimatorDep = Annotated[PoseEstimator, Depends(get_estimator)]
LimiterDep = Annotated[InferenceLimiter, Depends(get_limiter)]


async def read_upload(upload: UploadFile, limit: int) -> bytes:
    """Read at most `limit` bytes; the declared size is checked first so big uploads fail without reading."""
    if upload.size is not None and upload.size > limit:
        raise UploadTooLargeError(f"upload is {upload.size} bytes, more than the limit of {limit}")
    chunks, total = [], 0
    while chunk := await upload.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise UploadTooLargeError(f"upload is more than the limit of {limit} bytes")
        chunks.append(chunk)
    if total == 0:
        raise EmptyUploadError("the uploaded file is empty")
    return b"".join(chunks)
