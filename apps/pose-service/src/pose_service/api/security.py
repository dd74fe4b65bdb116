"""The one credential pose-service accepts: backend-api's service token, a shared secret from the environment."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from pose_service.api.deps import SettingsDep
from pose_service.errors import UnauthorizedError

# auto_error=False: a missing header gets our ErrorPublic 401, not FastAPI's own 403 body.
_bearer = HTTPBearer(auto_error=False, description="backend-api's service token (POSE_SERVICE_TOKEN)")


def require_service_token(
    settings: SettingsDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    if credentials is None:
        raise UnauthorizedError("send Authorization: Bearer <service token>")
    expected = settings.service_token.get_secret_value().encode()
    # Constant time: the comparison must not reveal how many leading characters of a guess were right.
    if not hmac.compare_digest(credentials.credentials.encode(), expected):
        raise UnauthorizedError("the service token is wrong")


ServiceTokenDep = Depends(require_service_token)
