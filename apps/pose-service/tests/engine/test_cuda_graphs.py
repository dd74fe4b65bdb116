"""CUDA graphs of the BlazePose graphs (engine/cuda_graphs.py): on the GPU host only (each test skips elsewhere,
saying so), with TF32 off as the engine runs them."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import torch

from pose_service.engine.buckets import pad_rows, run_bucketed, warm_up
from pose_service.engine.executor import GraphExecutor
from pose_service.engine.models import ModelName, load_models


@pytest.fixture(scope="module")
def graphs(model_dir: Path, cuda_device: torch.device) -> dict[str, GraphExecutor]:
    """The lite landmark graph and the detector on the GPU, each captured at batch 1, 2 and 4."""
    loaded = load_models([ModelName.blazepose_lite], model_dir, cuda_device)[ModelName.blazepose_lite]
    assert loaded.detector is not None
    executors = {"landmarks": loaded.executor, "detector": loaded.detector}
    for executor in executors.values():
        assert warm_up(executor, 4) == [1, 2, 4]
    return executors


def _images(executor: GraphExecutor, count: int, seed: int = 0) -> torch.Tensor:
    _, height, width, channels = executor.input_shape
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(count, height, width, channels, generator=generator).to(executor.device)


def _eager(executor: GraphExecutor, images: torch.Tensor) -> list[torch.Tensor]:
    return executor._run_with_numerics(images)


@pytest.mark.parametrize("name", ["landmarks", "detector"])
def test_a_replay_gives_exactly_what_the_eager_run_gives(graphs: dict[str, GraphExecutor], name: str) -> None:
    executor = graphs[name]
    assert executor.captured_sizes == {1, 2, 4}
    for count in (1, 2, 4):
        images = _images(executor, count, seed=count)
        replayed, eager = executor.run(images), _eager(executor, images)
        for key, got, expected in zip(executor.output_keys, replayed, eager, strict=True):
            # The graph holds the kernels the eager run chose for this shape: the same sums in the same order.
            assert torch.equal(got, expected), (name, count, key, (got - expected).abs().max().item())


def test_replays_are_copies_that_a_later_replay_does_not_overwrite(graphs: dict[str, GraphExecutor]) -> None:
    executor = graphs["landmarks"]
    first_images, second_images = _images(executor, 2, seed=1), _images(executor, 2, seed=2)
    first = [t.clone() for t in _eager(executor, first_images)]
    held = executor.run(first_images)
    executor.run(second_images)  # the same graph, other data
    for key, got, expected in zip(executor.output_keys, held, first, strict=True):
        assert torch.equal(got, expected), key


def test_threads_replaying_at_once_each_get_their_own_rows(graphs: dict[str, GraphExecutor]) -> None:
    executor = graphs["landmarks"]
    inputs = [_images(executor, 2, seed=10 + i) for i in range(8)]
    expected = [[t.clone() for t in _eager(executor, images)] for images in inputs]
    with ThreadPoolExecutor(4) as pool:  # new threads: no cuDNN plan of theirs, and none needed
        results = list(pool.map(executor.run, inputs))
    for got, want in zip(results, expected, strict=True):
        for key, a, b in zip(executor.output_keys, got, want, strict=True):
            assert torch.equal(a, b), key


def test_a_bucketed_run_uses_only_captured_buckets_and_keeps_every_row(graphs: dict[str, GraphExecutor]) -> None:
    executor = graphs["landmarks"]
    images = _images(executor, 7, seed=7)
    # Captured 1, 2, 4 of the default buckets: 7 rows run as 4, then 3 padded to 4, both replays.
    bucketed = run_bucketed(executor, images)
    first, second = _eager(executor, images[:4]), _eager(executor, pad_rows(images[4:], 4))
    for key, got, a, b in zip(executor.output_keys, bucketed, first, second, strict=True):
        assert got.shape[0] == 7, key
        assert torch.equal(got, torch.cat([a, b[:3]])), key


def test_capturing_while_another_thread_runs_requests(model_dir: Path, cuda_device: torch.device) -> None:
    loaded = load_models([ModelName.blazepose_lite], model_dir, cuda_device)[ModelName.blazepose_lite]
    executor = loaded.executor
    images = _images(executor, 3, seed=3)
    expected = [t.clone() for t in _eager(executor, images)]
    stop, served, errors = threading.Event(), [], []

    def serve() -> None:  # eager runs of batch 3 (never captured) on the default stream, meanwhile
        while not stop.is_set():
            try:
                got = executor.run(images)
                served.append(all(torch.allclose(a, b, rtol=0, atol=1e-5) for a, b in zip(got, expected, strict=True)))
            except Exception as error:
                errors.append(error)
                return

    worker = threading.Thread(target=serve)
    worker.start()
    try:
        assert warm_up(executor, 8) == [1, 2, 4, 8]
    finally:
        stop.set()
        worker.join()
    assert not errors and served and all(served), (errors, len(served))
    assert executor.captured_sizes == {1, 2, 4, 8}


def test_a_graph_of_free_input_size_cannot_be_captured(model_dir: Path, cuda_device: torch.device) -> None:
    if not (model_dir / "movenet-multipose.json").is_file():
        pytest.skip(f"no movenet-multipose graph in {model_dir} (a GPU host may carry only the BlazePose graphs)")
    multipose = load_models([ModelName.multipose], model_dir, cuda_device)[ModelName.multipose].executor
    assert not multipose.can_capture and multipose.captured_sizes == frozenset()
    with pytest.raises(ValueError, match="cannot be captured"):
        multipose.capture(1)
    assert warm_up(multipose, 64) == []


def test_the_service_answers_during_the_background_capture_and_the_same_after(
    model_dir: Path, cuda_device: torch.device
) -> None:
    from pose_service.core.config import Settings
    from pose_service.services.pose_estimator import PoseEstimator, Thresholds
    from tests.conftest import SERVICE_TOKEN
    from tests.photos import two_people

    lite = ModelName.blazepose_lite
    settings = Settings(model_dir=model_dir, service_token=SERVICE_TOKEN, models=[lite], default_model=lite)
    limits = Thresholds(min_person_score=0.2, min_keypoint_score=0.3)
    image = two_people()
    estimator = PoseEstimator.load(settings, cuda_device)  # every bucket, on its own thread (the CUDA default)
    try:
        during = estimator.estimate_image(lite, image, limits)  # eager or replayed, whatever is captured by now
        warmup = estimator.wait_for_warm_up(timeout_s=240)
        assert warmup.sizes == {name: [1, 2, 4, 8, 16, 32, 64] for name in ("blazepose-lite", "blazepose-detector")}
        after = estimator.estimate_image(lite, image, limits)
        assert len(during) == len(after) == 2
        for a, b in zip(during, after, strict=True):
            torch.testing.assert_close(torch.from_numpy(a.keypoints), torch.from_numpy(b.keypoints), atol=1e-3, rtol=0)
    finally:
        estimator.close()
