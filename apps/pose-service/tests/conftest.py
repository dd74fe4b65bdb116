from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from fastapi.testclient import TestClient

from pose_service.core.config import Settings
from pose_service.main import create_app
from tests import photos
from tests.media_files import encode_image, encode_video, panning_frames

WORKSPACE = Path(__file__).resolve().parents[3]
SERVICE_TOKEN = "test-service-token-" + "x" * 32


@pytest.fixture(scope="session")
def model_dir() -> Path:
    path = Path(os.environ.get("POSE_MODEL_DIR", WORKSPACE / "dist" / "pose-models"))
    if not any(path.glob("*.json")):
        pytest.fail(f"no graph models in {path}: run `npx nx run pose-service:models` (or set POSE_MODEL_DIR)")
    return path


@pytest.fixture(scope="session")
def cuda_device() -> torch.device:
    if not torch.cuda.is_available():
        pytest.skip("CUDA is not available on this machine (GPU tests run on the GPU host only)")
    return torch.device("cuda:0")


@pytest.fixture(scope="session")
def settings(model_dir: Path) -> Settings:
    # The three MoveNet models and the cheapest BlazePose: full and heavy run in scripts/parity_blazepose.py.
    models = ["lightning", "thunder", "multipose", "blazepose-lite"]
    return Settings(
        model_dir=model_dir,
        service_token=SERVICE_TOKEN,
        device="cpu",
        max_video_frames=12,
        video_batch_size=4,
        models=models,
    )


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    # One app for the session: loading the three models takes about a second.
    with TestClient(create_app(settings), headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def astronaut_jpeg() -> bytes:
    return encode_image(photos.astronaut(), "JPEG")


@pytest.fixture(scope="session")
def two_people_png() -> bytes:
    return encode_image(photos.two_people(), "PNG")


@pytest.fixture(scope="session")
def panning_scene() -> list:
    return panning_frames(photos.two_people(), count=6, width=256, height=128, step=16)


@pytest.fixture(scope="session")
def two_people_mp4(panning_scene: list) -> bytes:
    return encode_video(panning_scene, "mp4")


@pytest.fixture(scope="session")
def two_people_webm(panning_scene: list) -> bytes:
    return encode_video(panning_scene, "webm")
