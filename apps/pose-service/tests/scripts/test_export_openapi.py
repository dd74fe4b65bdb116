from __future__ import annotations

from pose_service.core.config import Settings
from scripts.export_openapi import OPENAPI_PATH, render_openapi


def test_the_committed_openapi_spec_matches_the_app(settings: Settings) -> None:
    assert OPENAPI_PATH.read_text() == render_openapi(settings), (
        "openapi.json is stale: run `nx run pose-service:openapi`"
    )
