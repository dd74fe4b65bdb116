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
    assert body["models"] == ["lightning", "thunder", "multipose"]


def test_openapi_documents_the_pose_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/health", "/v1/pose", "/v1/pose/video"} <= set(paths)


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
