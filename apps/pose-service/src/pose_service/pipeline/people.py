"""Turn raw MoveNet outputs into people in original-image pixels."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from pose_service.engine.models import KEYPOINT_NAMES
from pose_service.pipeline.preprocess import Letterbox

KEYPOINT_COUNT = len(KEYPOINT_NAMES)


@dataclass(frozen=True)
class Person:
    score: float
    box: tuple[float, float, float, float]  # x_min, y_min, x_max, y_max in image pixels
    keypoints: np.ndarray  # [17, 3]: x, y in image pixels, score
    track_id: int | None = None

    def with_track(self, track_id: int, keypoints: np.ndarray | None = None) -> Person:
        return replace(self, track_id=track_id, keypoints=self.keypoints if keypoints is None else keypoints)


def _to_pixels(yx_score: np.ndarray, frame: Letterbox, width: int, height: int) -> np.ndarray:
    x, y = frame.to_image(yx_score[:, 1], yx_score[:, 0])
    return np.stack([np.clip(x, 0, width), np.clip(y, 0, height), yx_score[:, 2]], axis=1).astype(np.float64)


def _box_around(keypoints: np.ndarray, min_keypoint_score: float) -> tuple[float, float, float, float]:
    confident = keypoints[keypoints[:, 2] >= min_keypoint_score]
    points = confident if len(confident) else keypoints
    return (float(points[:, 0].min()), float(points[:, 1].min()), float(points[:, 0].max()), float(points[:, 1].max()))


def decode_single_pose(
    output: np.ndarray, frame: Letterbox, width: int, height: int, min_person_score: float, min_keypoint_score: float
) -> list[Person]:
    """output [1, 17, 3] (y, x, score): one candidate; its score is the mean keypoint score."""
    keypoints = _to_pixels(output.reshape(KEYPOINT_COUNT, 3), frame, width, height)
    score = float(keypoints[:, 2].mean())
    if score < min_person_score:
        return []
    return [Person(score, _box_around(keypoints, min_keypoint_score), keypoints)]


def decode_multipose(
    output: np.ndarray, frame: Letterbox, width: int, height: int, min_person_score: float
) -> list[Person]:
    """output [6, 56]: 17 x (y, x, score), then ymin, xmin, ymax, xmax and the instance score."""
    people = []
    for row in output.reshape(-1, 56):
        score = float(row[55])
        if score < min_person_score:
            continue
        keypoints = _to_pixels(row[:51].reshape(KEYPOINT_COUNT, 3), frame, width, height)
        corners = np.array([[row[51], row[52], 0.0], [row[53], row[54], 0.0]])
        (x0, y0, _), (x1, y1, _) = _to_pixels(corners, frame, width, height)
        people.append(Person(score, (float(x0), float(y0), float(x1), float(y1)), keypoints))
    return sorted(people, key=lambda p: -p.score)
