"""BlazePose GHUM geometry as MediaPipe's pose graphs do it, on plain arrays.

- Detector (pose_detection.pbtxt): 2254 SSD anchors (SsdAnchorsCalculator: 5 layers, strides 8, 16, 32, 32, 32,
  fixed anchor size, two anchors per layer and cell), boxes and 4 keypoints decoded against them
  (TensorsToDetectionsCalculator: x/y/w/h scale 224, sigmoid scores clipped at +-100), weighted NMS at IoU 0.3.
- Region of interest (pose_detection_to_roi.pbtxt, pose_landmarks_to_roi.pbtxt): centred on the hip-centre
  keypoint, side twice the distance to the body-scale keypoint, rotated so that vector points up, then scaled
  by 1.25 (AlignmentPointsRectsCalculator + RectTransformationCalculator).
- Landmarks (pose_landmark_by_roi.pbtxt): 39 rows of (x, y, z, visibility logit, presence logit) in crop pixels,
  projected back through the rotated region (LandmarkProjectionCalculator); world landmarks are rotated by the
  same angle (WorldLandmarkProjectionCalculator). The first 33 rows are the body, rows 33 and 34 the hip centre
  and body-scale point the next frame's region comes from.

Geometry runs in image pixels (MediaPipe rotates in normalised coordinates, which shears non-square images).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pose_service.pipeline.blazepose_inputs import DETECTOR_SIZE, LANDMARK_SIZE
from pose_service.pipeline.matching import box_iou
from pose_service.pipeline.preprocess import Letterbox

BODY_LANDMARKS = 33
_HIP_CENTRE, _BODY_SCALE = 33, 34  # auxiliary landmark rows
_ROI_SCALE = 1.25
_NMS_IOU = 0.3
_SCORE_CLIP = 100.0


def ssd_anchors() -> np.ndarray:
    """[2254, 2] anchor centres (x, y), normalised, in the detector's output order."""
    centres = []
    strides = (8, 16, 32, 32, 32)
    layer = 0
    while layer < len(strides):
        # Consecutive layers of one stride share a feature map: their anchors interleave per cell.
        same = [i for i in range(layer, len(strides)) if strides[i] == strides[layer]]
        cells = math.ceil(DETECTOR_SIZE / strides[layer])
        per_cell = 2 * len(same)  # aspect ratio 1.0 plus the interpolated scale, per layer
        for y in range(cells):
            for x in range(cells):
                centres.extend([((x + 0.5) / cells, (y + 0.5) / cells)] * per_cell)
        layer = same[-1] + 1
    return np.asarray(centres, dtype=np.float64)


ANCHORS = ssd_anchors()


@dataclass(frozen=True)
class Detection:
    score: float
    box: np.ndarray  # x_min, y_min, x_max, y_max, normalised to the detector input
    keypoints: np.ndarray  # [4, 2] normalised: hip centre, body scale point, shoulder centre, upper-body point


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -_SCORE_CLIP, _SCORE_CLIP)))


def decode_detections(raw: np.ndarray, min_score: float) -> list[Detection]:
    """raw [2254, 13]: score logit, then x, y, w, h and 4 keypoints (x, y) in detector pixels off the anchor."""
    scores = _sigmoid(raw[:, 0].astype(np.float64))
    keep = np.flatnonzero(scores >= min_score)
    values = raw[keep, 1:].astype(np.float64) / DETECTOR_SIZE
    anchors = ANCHORS[keep]
    centre = values[:, 0:2] + anchors
    half = values[:, 2:4] / 2
    boxes = np.concatenate([centre - half, centre + half], axis=1)
    keypoints = values[:, 4:12].reshape(-1, 4, 2) + anchors[:, None, :]
    candidates = [Detection(float(s), b, k) for s, b, k in zip(scores[keep], boxes, keypoints, strict=True)]
    return weighted_nms(candidates, _NMS_IOU)


def weighted_nms(candidates: list[Detection], iou: float) -> list[Detection]:
    """MediaPipe's WEIGHTED suppression: each kept detection is the score-weighted mean of its overlapping group,
    with the best member's score."""
    remaining = sorted(candidates, key=lambda d: -d.score)
    kept = []
    while remaining:
        best = remaining[0]
        group = [d for d in remaining if box_iou(best.box, d.box) > iou or d is best]
        remaining = [d for d in remaining if not any(d is g for g in group)]
        weights = np.array([d.score for d in group])[:, None]
        box = (np.stack([d.box for d in group]) * weights).sum(0) / weights.sum()
        keypoints = (np.stack([d.keypoints for d in group]) * weights[:, :, None]).sum(0) / weights.sum()
        kept.append(Detection(best.score, box, keypoints))
    return kept


@dataclass(frozen=True)
class Roi:
    """A square region in image pixels, rotated by `rotation` radians (clockwise on screen, y points down)."""

    centre_x: float
    centre_y: float
    size: float
    rotation: float

    def to_image(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Crop coordinates (0..1 across the crop) to image pixels."""
        cos, sin = math.cos(self.rotation), math.sin(self.rotation)
        du, dv = (u - 0.5) * self.size, (v - 0.5) * self.size
        return self.centre_x + cos * du - sin * dv, self.centre_y + sin * du + cos * dv

    def affine(self, width: int, height: int) -> np.ndarray:
        """[2, 3] theta for torch's affine_grid (align_corners=False) sampling this region out of the image."""
        cos, sin = math.cos(self.rotation), math.sin(self.rotation)
        return np.array(
            [
                [self.size / width * cos, -self.size / width * sin, 2 * self.centre_x / width - 1],
                [self.size / height * sin, self.size / height * cos, 2 * self.centre_y / height - 1],
            ]
        )


def _normalise_angle(angle: float) -> float:
    return angle - 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))


def roi_from_points(centre: np.ndarray, scale_point: np.ndarray) -> Roi:
    """Both in image pixels: the vector centre -> scale point ends up pointing up in the crop."""
    dx, dy = scale_point - centre
    rotation = _normalise_angle(math.pi / 2 - math.atan2(-dy, dx))
    size = 2 * math.hypot(dx, dy) * _ROI_SCALE
    return Roi(float(centre[0]), float(centre[1]), size, rotation)


def roi_from_detection(detection: Detection, frame: Letterbox) -> Roi:
    """The detector ran on a letterbox of the image: undo it before measuring in pixels."""
    x, y = frame.to_image(detection.keypoints[:2, 0], detection.keypoints[:2, 1])
    return roi_from_points(np.array([x[0], y[0]]), np.array([x[1], y[1]]))


@dataclass(frozen=True)
class Landmarks:
    """One person from the landmark model, mapped to the image."""

    image: np.ndarray  # [39, 3] x, y in image pixels, z in image pixels (same scale as x), relative to the hips
    visibility: np.ndarray  # [39]
    presence: np.ndarray  # [39]
    world: np.ndarray  # [39, 3] metres, hip-centred, rotated back to the image's orientation
    pose_score: float  # the model's "a pose is in this crop" flag
    roi: Roi

    def next_roi(self) -> Roi:
        return roi_from_points(self.image[_HIP_CENTRE, :2], self.image[_BODY_SCALE, :2])

    def box(self) -> tuple[float, float, float, float]:
        body = self.image[:BODY_LANDMARKS, :2]
        return (float(body[:, 0].min()), float(body[:, 1].min()), float(body[:, 0].max()), float(body[:, 1].max()))


def decode_landmarks(ld_3d: np.ndarray, world_3d: np.ndarray, pose_flag: float, roi: Roi) -> Landmarks:
    """ld_3d [195] and world_3d [117] of one crop."""
    rows = ld_3d.astype(np.float64).reshape(-1, 5)
    u, v = rows[:, 0] / LANDMARK_SIZE, rows[:, 1] / LANDMARK_SIZE
    x, y = roi.to_image(u, v)
    z = rows[:, 2] / LANDMARK_SIZE * roi.size
    world = world_3d.astype(np.float64).reshape(-1, 3)
    cos, sin = math.cos(roi.rotation), math.sin(roi.rotation)
    world_xy = np.stack([cos * world[:, 0] - sin * world[:, 1], sin * world[:, 0] + cos * world[:, 1]], axis=1)
    return Landmarks(
        image=np.stack([x, y, z], axis=1),
        visibility=_sigmoid(rows[:, 3]),
        presence=_sigmoid(rows[:, 4]),
        world=np.concatenate([world_xy, world[:, 2:3]], axis=1),
        pose_score=float(pose_flag),
        roi=roi,
    )
