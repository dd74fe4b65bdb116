from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import torch

from pose_service.core.config import Settings
from pose_service.engine.models import ModelName, load_models
from pose_service.services.pose_estimator import FramePeople, PoseEstimator, Thresholds
from tests.conftest import SERVICE_TOKEN
from tests.media_files import crossing_frames

LIMITS = Thresholds(min_person_score=0.2, min_keypoint_score=0.3)
LITE = ModelName.blazepose_lite


@pytest.fixture(scope="module")
def estimator(model_dir: Path) -> PoseEstimator:
    settings = Settings(
        model_dir=model_dir,
        service_token=SERVICE_TOKEN,
        models=[LITE],
        default_model=LITE,
        batch_window_ms=1000,  # batches leave when both videos wait, not by the clock
        max_crops_per_batch=64,  # the CPU's default is 1 (core/config.py)
    )
    loaded = PoseEstimator.load(settings, torch.device("cpu"))
    yield loaded
    loaded.close()


def _track(estimator: PoseEstimator, frames: list[np.ndarray]) -> list[FramePeople]:
    return list(estimator.estimate_frames(LITE, frames, LIMITS, batch_size=1, smoothing=0.5, fps=10.0))


def _keypoints(result: list[FramePeople]) -> list[list[tuple[int, np.ndarray]]]:
    return [[(p.track_id, p.keypoints[:, :2]) for p in f.people] for f in result]


def test_concurrent_videos_share_landmark_batches_and_get_what_each_gets_alone(estimator: PoseEstimator) -> None:
    crossing = crossing_frames(count=4)
    mirrored = [np.ascontiguousarray(f[:, ::-1]) for f in crossing]
    alone = [_track(estimator, crossing), _track(estimator, mirrored)]
    before = estimator.batch_stats()
    with ThreadPoolExecutor(2) as pool:
        together = list(pool.map(lambda frames: _track(estimator, frames), [crossing, mirrored]))
    after = estimator.batch_stats()
    # Each frame's jobs (detector, then landmarks) met the other video's in one batch.
    jobs, batches = after.jobs - before.jobs, after.batches - before.batches
    assert batches < jobs, (batches, jobs)
    for solo, shared in zip(alone, together, strict=True):
        for frame_solo, frame_shared in zip(_keypoints(solo), _keypoints(shared), strict=True):
            assert [i for i, _ in frame_solo] == [i for i, _ in frame_shared]
            for (_, a), (_, b) in zip(frame_solo, frame_shared, strict=True):
                # Pixels. Only the batch size differs (bucket 1 alone, 2 together), but the CPU conv library picks
                # kernels per batch size and they round differently: through heatmap refinement, tracking and
                # smoothing, hand landmarks moved up to 0.1 px on a 2-core machine. A batching bug (rows of the
                # other video, or out of order) moves points by tens of pixels.
                np.testing.assert_allclose(a, b, atol=0.5)


def test_warm_up_runs_each_blazepose_graph_at_each_bucket_and_the_shared_detector_once(model_dir: Path) -> None:
    names = [LITE, ModelName.blazepose_full, ModelName.multipose]
    estimator = PoseEstimator(load_models(names, model_dir, torch.device("cpu")), torch.device("cpu"), 256)
    try:
        warmup = estimator.warm_up(3)
        # MoveNet takes any input size (nothing fixed to warm), and the variants share one detector graph.
        assert warmup.sizes == {
            "blazepose-lite": [1, 2, 4],
            "blazepose-detector": [1, 2, 4],
            "blazepose-full": [1, 2, 4],
        }
        assert warmup.seconds > 0 and estimator.warmup == warmup
        assert estimator.warm_up(0).sizes == {}
    finally:
        estimator.close()


@pytest.mark.parametrize(("warmup_max_batch", "expected"), [(None, {}), (2, {"blazepose-lite": [1, 2]})])
def test_loading_warms_up_as_configured_and_by_default_not_on_the_cpu(
    model_dir: Path, warmup_max_batch: int | None, expected: dict[str, list[int]]
) -> None:
    settings = Settings(
        model_dir=model_dir,
        service_token=SERVICE_TOKEN,
        models=[LITE],
        default_model=LITE,
        warmup_max_batch=warmup_max_batch,
    )
    estimator = PoseEstimator.load(settings, torch.device("cpu"))
    try:
        warmup = estimator.wait_for_warm_up(timeout_s=60)
        assert {k: v for k, v in warmup.sizes.items() if k != "blazepose-detector"} == expected
        assert ("blazepose-detector" in warmup.sizes) == bool(expected)
    finally:
        estimator.close()


def test_requests_are_served_while_the_warm_up_runs_on_its_own_thread(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a GPU the warm-up captures every bucket (about a minute per variant on an H200): start-up and requests
    # must not wait for it. Here it is held on its first graph until a request has gone through.
    import pose_service.services.pose_estimator as module

    held, served, threads = threading.Event(), threading.Event(), []
    real_warm_up = module.warm_up

    def holding_warm_up(executor, max_batch, **kwargs):
        threads.append(threading.current_thread().name)
        held.set()
        assert served.wait(60), "no request was served while the warm-up ran"
        return real_warm_up(executor, max_batch, **kwargs)

    monkeypatch.setattr(module, "warm_up", holding_warm_up)
    estimator = PoseEstimator(load_models([LITE], model_dir, torch.device("cpu")), torch.device("cpu"), 256)
    try:
        estimator.start_warm_up(1)
        assert held.wait(60)
        people = estimator.estimate_image(LITE, crossing_frames(count=2)[0], LIMITS)
        served.set()
        assert people, "the request found nobody"
        warmup = estimator.wait_for_warm_up(timeout_s=60)
        assert warmup.sizes == {"blazepose-lite": [1], "blazepose-detector": [1]}
        assert set(threads) == {"blazepose-warm-up"}
    finally:
        served.set()
        estimator.close()
