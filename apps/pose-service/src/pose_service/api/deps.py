"""Request-scoped access to what the lifespan owns, as named Annotated dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, UploadFile

from pose_service.core.config import Settings
from pose_service.errors import EmptyUploadError, UploadTooLargeError
from pose_service.services.pose_estimator import PoseEstimator

_CHUNK = 1024 * 1024


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_estimator(request: Request) -> PoseEstimator:
    return request.app.state.estimator


SettingsDep = Annotated[Settings, Depends(get_settings)]
EstimatorDep = Annotated[PoseEstimator, Depends(get_estimator)]


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
