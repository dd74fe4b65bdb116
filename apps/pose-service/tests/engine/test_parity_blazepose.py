"""BlazePose graphs against @tensorflow/tfjs on real photographs: the committed CI subset
(tests/fixtures/tfjs-blazepose: detector and lite) on the CPU; on a GPU every reference found
(POSE_BLAZEPOSE_REFERENCE_DIR, else dist/tfjs-blazepose from scripts/make_reference.py, else the subset)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from scripts.parity_blazepose import OutputError, compare_all
from tests.conftest import WORKSPACE

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "tfjs-blazepose").glob("*.npz"))
CPU_TOLERANCE = 1e-4
GPU_TOLERANCE = 1e-3  # with TF32 off; cuDNN sums in other orders than TF.js's CPU loops


def _gpu_references() -> list[Path]:
    configured = os.environ.get("POSE_BLAZEPOSE_REFERENCE_DIR")
    folder = Path(configured) if configured else WORKSPACE / "dist" / "tfjs-blazepose"
    return sorted(folder.glob("*.npz")) or FIXTURES


def _check(errors: list[OutputError], tolerance: float) -> None:
    for e in errors:
        print(f"{e.case} {e.output}: max abs {e.absolute:.3g}, scaled {e.scaled:.3g}")
    failing = [e for e in errors if e.scaled > tolerance]
    assert not failing, failing


@pytest.mark.parametrize("reference", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_matches_tfjs_on_cpu(model_dir: Path, reference: Path) -> None:
    _check(compare_all(model_dir, [reference], torch.device("cpu")), CPU_TOLERANCE)


@pytest.mark.gpu
def test_matches_tfjs_on_gpu_with_tf32_switched_on_elsewhere(model_dir: Path, cuda_device: torch.device) -> None:
    # The engine sets its own numerics when it loads on a GPU, whatever the process said before.
    torch.backends.cudnn.allow_tf32 = True
    torch.backends.cuda.matmul.allow_tf32 = True
    _check(compare_all(model_dir, _gpu_references(), cuda_device), GPU_TOLERANCE)
    assert not torch.backends.cudnn.allow_tf32
