"""The torch port against @tensorflow/tfjs outputs (tests/fixtures/tfjs-reference.json, made by
scripts/make_reference.py) on real photographs: every output of all three models."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from pose_service.engine.models import LoadedModel, ModelName, load_models
from tests.photos import model_input, sha256_of

REFERENCE = json.loads((Path(__file__).parents[1] / "fixtures" / "tfjs-reference.json").read_text())
CASES = REFERENCE["cases"]
MODELS = sorted({ModelName(c["model"]) for c in CASES})
CPU_TOLERANCE = 1e-4
GPU_TOLERANCE = 1e-3  # with TF32 off; cuDNN picks other summation orders than TF.js's CPU loops


@pytest.fixture(scope="module")
def cpu_models(model_dir: Path) -> dict[ModelName, LoadedModel]:
    return load_models(MODELS, model_dir, torch.device("cpu"))


@pytest.fixture(scope="module")
def gpu_models(model_dir: Path, cuda_device: torch.device) -> dict[ModelName, LoadedModel]:
    # Whoever loads the engine on a GPU gets TF.js numerics, whatever the process-wide switches said before.
    torch.backends.cudnn.allow_tf32 = True
    return load_models(MODELS, model_dir, cuda_device)


def _max_error(models: dict[ModelName, LoadedModel], case: dict) -> float:
    model = ModelName(case["model"])
    batch = model_input(model, case["photo"])
    assert sha256_of(batch) == case["inputSha256"], "model input changed: rerun scripts/make_reference.py"
    (output,) = models[model].executor.run(torch.from_numpy(batch))
    expected = np.asarray(case["output"], dtype=np.float32).reshape(case["outputShape"])
    assert tuple(output.shape) == expected.shape
    error = float(np.abs(output.cpu().numpy() - expected).max())
    print(f"{case['id']} on {output.device}: max |torch - tfjs| = {error:.3g}")
    return error


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_matches_tfjs_on_cpu(cpu_models: dict[ModelName, LoadedModel], case: dict) -> None:
    assert _max_error(cpu_models, case) <= CPU_TOLERANCE


@pytest.mark.gpu
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_matches_tfjs_on_gpu(gpu_models: dict[ModelName, LoadedModel], case: dict) -> None:
    assert _max_error(gpu_models, case) <= GPU_TOLERANCE


def _assert_batch_matches_single(models: dict[ModelName, LoadedModel], model: ModelName, tolerance: float) -> None:
    astronaut = model_input(model, "astronaut")
    mirrored = astronaut[:, :, ::-1].copy()
    executor = models[model].executor
    (batched,) = executor.run(torch.from_numpy(np.concatenate([astronaut, mirrored, astronaut])))
    (alone,) = executor.run(torch.from_numpy(mirrored))
    assert batched.shape[0] == 3
    # Only the convolution algorithm may differ with the batch size.
    assert float((batched[1:2] - alone).abs().max()) <= tolerance


@pytest.mark.parametrize("model", [ModelName.lightning, ModelName.multipose])
def test_a_batch_gives_each_item_its_own_result(cpu_models: dict[ModelName, LoadedModel], model: ModelName) -> None:
    _assert_batch_matches_single(cpu_models, model, 1e-5)


@pytest.mark.gpu
@pytest.mark.parametrize("model", MODELS)
def test_a_batch_on_gpu_gives_each_item_its_own_result(
    gpu_models: dict[ModelName, LoadedModel], model: ModelName
) -> None:
    _assert_batch_matches_single(gpu_models, model, 1e-4)
