from __future__ import annotations

import math

import numpy as np
import torch

from pose_service.pipeline.blazepose import ANCHORS, Landmarks, Roi, roi_from_points
from pose_service.pipeline.one_euro import OneEuroFilter
from pose_service.pipeline.pose_tracking import PoseTracker
from pose_service.pipeline.roi_crop import crop_rois


def test_ssd_anchors_follow_mediapipe_pose_detection() -> None:
    assert ANCHORS.shape == (2254, 2)  # 28*28*2 + 14*14*2 + 7*7*6
    np.testing.assert_allclose(ANCHORS[0], [0.5 / 28, 0.5 / 28])
    np.testing.assert_allclose(ANCHORS[1568], [0.5 / 14, 0.5 / 14])
    np.testing.assert_allclose(ANCHORS[-1], [6.5 / 7, 6.5 / 7])


def test_the_region_turns_the_body_upright() -> None:
    upright = roi_from_points(np.array([100.0, 200.0]), np.array([100.0, 120.0]))
    assert math.isclose(upright.rotation, 0.0, abs_tol=1e-12) and math.isclose(upright.size, 200.0)
    lying = roi_from_points(np.array([100.0, 200.0]), np.array([180.0, 200.0]))  # head to the right
    assert math.isclose(lying.rotation, math.pi / 2)
    # The top centre of the crop is where the body-scale point lies, scaled out by 1.25.
    x, y = lying.to_image(np.array(0.5), np.array(0.5 - 0.5 / 1.25))
    np.testing.assert_allclose([x, y], [180.0, 200.0])


def test_the_crop_samples_the_rotated_region() -> None:
    image = np.zeros((1, 100, 200, 3), np.uint8)
    image[0, 45:55, 125:135] = 255  # a white square right of the centre
    roi = Roi(centre_x=100.0, centre_y=50.0, size=100.0, rotation=math.pi / 2)
    (crop,) = crop_rois(torch.from_numpy(image), [(0, roi)], size=20)
    # Rotated a quarter turn, "right of centre" in the image is "above centre" in the crop.
    rows, cols = np.nonzero(crop[..., 0].numpy() > 0.5)
    assert rows.max() < 10 and cols.min() >= 8 and cols.max() <= 11


def test_one_euro_damps_jitter_and_follows_motion() -> None:
    still, moving = OneEuroFilter(min_cutoff=0.05, beta=80.0), OneEuroFilter(min_cutoff=0.05, beta=80.0)
    jitter = [np.array([100.0 + (1 if i % 2 else -1)]) for i in range(30)]
    smoothed = [still.apply(v, i / 30, 1 / 200) for i, v in enumerate(jitter)]
    assert abs(smoothed[-1][0] - 100.0) < 0.5  # a quarter of the raw +-1
    ramp = [moving.apply(np.array([10.0 * i]), i / 30, 1 / 200) for i in range(30)]
    assert abs(ramp[-1][0] - 290.0) < 15.0


def _person(x: float, lean: float) -> Landmarks:
    """A skeleton at x whose 3D pose leans by `lean` metres (the shape that tells two people apart)."""
    offsets = np.linspace(-1.0, 1.0, 39)
    image = np.column_stack([x + 40 * offsets, 200 + 80 * offsets, np.zeros(39)])
    world = np.column_stack([lean * offsets, 0.8 * offsets, np.zeros(39)])
    ones = np.ones(39)
    return Landmarks(image, ones, ones, world, 1.0, Roi(x, 200.0, 200.0, 0.0))


def test_people_who_cross_keep_their_ids_through_the_occlusion() -> None:
    tracker = PoseTracker(smoothing=False)
    ids_by_lean: dict[float, set[int]] = {0.3: set(), -0.3: set()}
    for frame in range(21):
        a, b = 20.0 + 20 * frame, 420.0 - 20 * frame  # they meet at frame 10
        people = [_person(a, 0.3)] if 7 <= frame <= 13 else [_person(a, 0.3), _person(b, -0.3)]
        for tracked in tracker.update(people, frame / 10):
            lean = round(float(tracked.landmarks.world[-1, 0]), 1)
            ids_by_lean[lean].add(tracked.track_id)
    # b was hidden for 7 frames and came back where its motion predicted: the same id, not a new one.
    assert ids_by_lean == {0.3: {1}, -0.3: {2}}
