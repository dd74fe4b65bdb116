from __future__ import annotations

from pathlib import Path

import pytest
import torch
from fastapi.testclient import TestClient

from pose_service.core.config import Settings
from pose_service.main import create_app
from tests.conftest import SERVICE_TOKEN


def test_health_reports_device_versions_and_models(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["device"] == "cpu"
    assert body["gpu_name"] is None
    assert body["torch_version"] == torch.__version__
    assert body["models"] == ["lightning", "thunder", "multipose", "blazepose-lite"]


def test_models_lists_each_loaded_model_with_its_kind_and_keypoints(client: TestClient) -> None:
    models = {m["name"]: m for m in client.get("/v1/models").json()}
    assert list(models) == ["lightning", "thunder", "multipose", "blazepose-lite"]
    assert (models["lightning"]["kind"], len(models["lightning"]["keypoints"])) == ("2d", 17)
    lite = models["blazepose-lite"]
    assert (lite["kind"], len(lite["keypoints"])) == ("3d", 33)
    assert lite["keypoints"][:3] == ["nose", "left_eye_inner", "left_eye"]
    assert lite["keypoints"][-1] == "right_foot_index"


def test_openapi_documents_the_pose_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/health", "/v1/pose", "/v1/pose/video", "/v1/models"} <= set(paths)


@pytest.mark.gpu
def test_health_reports_cuda_and_the_gpu(model_dir: Path, cuda_device: torch.device) -> None:
    settings = Settings(
        model_dir=model_dir, service_token=SERVICE_TOKEN, device="cuda", models=["lightning"], default_model="lightning"
    )
    headers = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    with TestClient(create_app(settings), headers=headers) as gpu_client:
        body = gpu_client.get("/health").json()
    print(f"/health on the GPU host: {body}")
    assert body["device"] == "cuda:0"
    assert body["gpu_name"] == torch.cuda.get_device_name(0)
    assert body["cuda_version"] == torch.version.cuda
