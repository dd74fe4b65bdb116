"""`python -m pose_service`: validate the environment, then serve on POSE_HOST:POSE_PORT."""

from __future__ import annotations

import sys

import uvicorn
from pydantic import ValidationError

from pose_service.core.config import load_settings
from pose_service.main import create_app


def main() -> int:
    try:
        settings = load_settings()
    except ValidationError as error:
        print(f"pose-service: invalid configuration (POSE_* environment variables):\n{error}", file=sys.stderr)
        return 2
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
    return 0


if __name__ == "__main__":
    sys.exit(main())
