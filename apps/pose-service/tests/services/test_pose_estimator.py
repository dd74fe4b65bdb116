from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import torch

from pose_service.core.config import Settings
from pose_service.engine.models import ModelName
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
        max_crops_per_batch=64,  # batching across requests is opt-in
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
                np.testing.assert_allclose(a, b, atol=1e-2)  # pixels; only the batch size differs
