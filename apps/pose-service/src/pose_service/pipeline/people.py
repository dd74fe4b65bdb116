"""People in original-image pixels: from raw MoveNet outputs, or from BlazePose landmarks."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from pose_service.engine.models import KEYPOINT_NAMES
from pose_service.pipeline.blazepose import BODY_LANDMARKS, Landmarks
from pose_service.pipeline.preprocess import Letterbox

KEYPOINT_COUNT = len(KEYPOINT_NAMES)


@dataclass(frozen=True)
class Person:
    score: float
    box: tuple[float, float, float, float]  # x_min, y_min, x_max, y_max in image pixels
    keypoints: np.ndarray  # [K, 3]: x, y in image pixels, score (17 for MoveNet, 33 for BlazePose)
    track_id: int | None = None
    keypoints_3d: np.ndarray | None = None  # BlazePose: [33, 4] world x, y, z in metres (hip-centred), visibility
    presence: np.ndarray | None = None  # BlazePose: [33] probability that the landmark is inside the frame

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


def person_from_landmarks(landmarks: Landmarks, width: int, height: int, track_id: int | None = None) -> Person:
    """The 33 body landmarks; score = visibility, the person's score = the model's pose flag."""
    body = slice(0, BODY_LANDMARKS)
    xy = landmarks.image[body, :2]
    keypoints = np.column_stack([np.clip(xy[:, 0], 0, width), np.clip(xy[:, 1], 0, height), landmarks.visibility[body]])
    x0, y0, x1, y1 = landmarks.box()
    box = (max(0.0, x0), max(0.0, y0), min(float(width), x1), min(float(height), y1))
    world = np.column_stack([landmarks.world[body], landmarks.visibility[body]])
    return Person(landmarks.pose_score, box, keypoints, track_id, world, landmarks.presence[body].copy())
