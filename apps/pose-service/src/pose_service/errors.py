"""Client errors the API maps to 4xx JSON responses; each carries a stable code and its HTTP status."""

from __future__ import annotations

from typing import ClassVar


class ClientInputError(Exception):
    status_code = 400
    code = "bad_request"
    headers: ClassVar[dict[str, str] | None] = None


class UnauthorizedError(ClientInputError):
    status_code = 401
    code = "unauthorized"
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": 'Bearer realm="pose-service"'}


class EmptyUploadError(ClientInputError):
    code = "empty_upload"


class UploadTooLargeError(ClientInputError):
    status_code = 413
    code = "upload_too_large"


class UnsupportedMediaError(ClientInputError):
    status_code = 415
    code = "unsupported_media"


class CorruptMediaError(ClientInputError):
    status_code = 422
    code = "corrupt_media"


class MediaTooLargeError(ClientInputError):
    status_code = 413
    code = "media_too_large"


class TooManyFramesError(ClientInputError):
    status_code = 413
    code = "too_many_frames"


class UploadTimeoutError(ClientInputError):
    status_code = 408
    code = "upload_timeout"


class ServiceBusyError(ClientInputError):
    """Every inference slot and queue place is taken; the client should come back after `retry_after_s`."""

    status_code = 503
    code = "busy"

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ClientDisconnectedError(ClientInputError):
    """The client went away mid-analysis (its lease was lost, or it died): the rest of the work is skipped."""

    status_code = 499
    code = "client_disconnected"
