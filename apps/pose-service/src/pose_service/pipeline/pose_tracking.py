"""Several BlazePose people through a video, with stable ids (the PHALP idea: associate by 3D pose and by
predicted location as well as by the 2D box), One Euro smoothing per track, and the regions the next frame's
landmark model runs on.

A track's location is predicted with constant velocity while it is unseen, so two people who cross (one
hidden behind the other for a few frames) are told apart by where each was heading and by the shape of
their 3D pose, which the box alone cannot do at the moment they overlap.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from pose_service.pipeline.blazepose import BODY_LANDMARKS, Landmarks, Roi
from pose_service.pipeline.matching import box_iou, greedy_match
from pose_service.pipeline.one_euro import OneEuroFilter

# MediaPipe's pose_landmark_filtering.pbtxt: image landmarks, then world landmarks (metres, no value scaling).
_VELOCITY_WINDOW = 5  # observations the velocity is measured over: one frame's stall or jitter barely moves it
_UNCERTAINTY_GROWTH = 0.25  # per unseen frame, how much wider the predicted place gets (as a Kalman covariance)
_IMAGE_FILTER = {"min_cutoff": 0.05, "beta": 80.0}
_WORLD_FILTER = {"min_cutoff": 0.1, "beta": 40.0}
_POSE_SCALE_M = 0.3  # mean joint distance at which two 3D poses count as unrelated
_MIN_VISIBILITY = 0.5


@dataclass(frozen=True)
class TrackedPose:
    track_id: int
    landmarks: Landmarks  # smoothed


@dataclass
class _Track:
    track_id: int
    last: Landmarks
    frame: int  # when last seen
    history: list[tuple[int, np.ndarray]] = field(default_factory=list)  # (frame, location) of recent sightings
    missed: int = 0
    image_filter: OneEuroFilter = field(default_factory=lambda: OneEuroFilter(**_IMAGE_FILTER))
    world_filter: OneEuroFilter = field(default_factory=lambda: OneEuroFilter(**_WORLD_FILTER))

    def velocity(self) -> np.ndarray:
        """Pixels per frame over the recent sightings."""
        if len(self.history) < 2:
            return np.zeros(2)
        (first_frame, first), (last_frame, last) = self.history[0], self.history[-1]
        return (last - first) / (last_frame - first_frame)

    def predicted_shift(self) -> np.ndarray:
        return self.velocity() * (self.missed + 1)

    def see(self, landmarks: Landmarks, frame: int) -> None:
        self.last, self.frame, self.missed = landmarks, frame, 0
        self.history = [*self.history, (frame, location(landmarks))][-_VELOCITY_WINDOW:]


def pose_distance(a: Landmarks, b: Landmarks) -> float:
    """Mean distance in metres between the hip-centred world joints both see, after the rotation that best
    aligns them (Kabsch): like PHALP's SMPL body pose, the comparison leaves out the global orientation, which
    follows the region's rotation and jitters when the hips are out of frame. A mirror image is no rotation,
    so a left-right swapped pose stays far. 1 m when fewer than 3 joints are shared."""
    seen = (a.visibility[:BODY_LANDMARKS] >= _MIN_VISIBILITY) & (b.visibility[:BODY_LANDMARKS] >= _MIN_VISIBILITY)
    if seen.sum() < 3:
        return 1.0
    p, q = a.world[:BODY_LANDMARKS][seen], b.world[:BODY_LANDMARKS][seen]
    p, q = p - p.mean(0), q - q.mean(0)
    u, _, vt = np.linalg.svd(q.T @ p)
    sign = np.sign(np.linalg.det(u @ vt)) or 1.0
    rotation = u @ np.diag([1.0, 1.0, sign]) @ vt
    return float(np.linalg.norm(q @ rotation - p, axis=1).mean())


def location(landmarks: Landmarks) -> np.ndarray:
    """Centre of the visible body landmarks: steadier than the hip centre, a guess when the hips are out of frame."""
    seen = landmarks.visibility[:BODY_LANDMARKS] >= _MIN_VISIBILITY
    points = landmarks.image[:BODY_LANDMARKS, :2]
    return points[seen].mean(0) if seen.any() else points.mean(0)


def association_cost(track: _Track, candidate: Landmarks) -> float:
    """In [0, 1]: mean of location (vs the predicted one, in region sizes), 3D pose and 2D box costs."""
    shift = track.predicted_shift()
    predicted = location(track.last) + shift
    distance = float(np.hypot(*(location(candidate) - predicted)))
    spread = 0.5 * track.last.roi.size * (1 + _UNCERTAINTY_GROWTH * track.missed)
    place = min(1.0, distance / spread)
    pose = min(1.0, pose_distance(track.last, candidate) / _POSE_SCALE_M)
    x0, y0, x1, y1 = track.last.box()
    moved = np.array([x0 + shift[0], y0 + shift[1], x1 + shift[0], y1 + shift[1]])
    box = 1.0 - box_iou(moved, candidate.box())
    return (place + pose + box) / 3.0


def _share_inside(points: np.ndarray, box: tuple[float, float, float, float]) -> float:
    inside = (points[:, 0] >= box[0]) & (points[:, 0] <= box[2]) & (points[:, 1] >= box[1]) & (points[:, 1] <= box[3])
    return float(inside.mean()) if len(points) else 0.0


def drop_duplicates(
    candidates: list[Landmarks], max_iou: float = 0.6, min_spacing: float = 0.25, max_inside: float = 0.8
) -> list[Landmarks]:
    """Two regions on one person (a second detection, or a region that slid onto the person in front) give two
    skeletons in one place: keep the surer one (pose flag x mean visibility). One place means boxes overlapping
    more than `max_iou`, centres closer than `min_spacing` region sizes, or the visible landmarks lying mostly
    (`max_inside`) within a kept skeleton's box. The price: of two people overlapping that much, one is dropped,
    as the single-person landmark model would see only one of them anyway."""
    kept: list[Landmarks] = []
    for candidate in sorted(candidates, key=lambda c: -c.pose_score * float(c.visibility[:BODY_LANDMARKS].mean())):
        box, place = candidate.box(), location(candidate)
        seen = candidate.image[:BODY_LANDMARKS, :2][candidate.visibility[:BODY_LANDMARKS] >= _MIN_VISIBILITY]
        if all(
            box_iou(box, k.box()) <= max_iou
            and np.hypot(*(place - location(k))) >= min_spacing * min(k.roi.size, candidate.roi.size)
            and _share_inside(seen, k.box()) < max_inside
            for k in kept
        ):
            kept.append(candidate)
    return kept


def is_near_tracked(roi: Roi, tracked: list[Roi], radius: float = 0.3) -> bool:
    """A fresh detection of someone a region already follows."""
    return any(np.hypot(roi.centre_x - t.centre_x, roi.centre_y - t.centre_y) < radius * t.size for t in tracked)


@dataclass
class PoseTracker:
    max_cost: float = 0.6
    max_missed: int = 30  # frames a hidden person is remembered for
    smoothing: bool = True
    _tracks: list[_Track] = field(default_factory=list)
    _next_id: int = 1
    _frame: int = 0

    def regions(self) -> list[Roi]:
        """Where the landmark model looks next: one region per person seen in the last frame."""
        return [t.last.next_roi() for t in self._tracks if t.missed == 0]

    def is_lost(self) -> bool:
        """No one followed, or someone hidden: the detector runs on the next frame."""
        return not self._tracks or any(t.missed > 0 for t in self._tracks)

    def update(self, candidates: list[Landmarks], time_s: float) -> list[TrackedPose]:
        self._frame += 1
        costs = (
            (association_cost(t, c), ti, ci) for ti, t in enumerate(self._tracks) for ci, c in enumerate(candidates)
        )
        assigned = greedy_match(costs, self.max_cost)
        used = set(assigned.values())
        result = []
        for ci, candidate in enumerate(candidates):
            if ci in assigned:
                track = self._tracks[assigned[ci]]
                if track.missed:
                    # Back after being hidden: the old filter state describes another moment.
                    track.image_filter = OneEuroFilter(**_IMAGE_FILTER)
                    track.world_filter = OneEuroFilter(**_WORLD_FILTER)
            else:
                track = _Track(self._next_id, candidate, self._frame)
                self._next_id += 1
                self._tracks.append(track)
            track.see(candidate, self._frame)
            result.append(TrackedPose(track.track_id, self._smooth(track, candidate, time_s)))
        for ti, track in enumerate(self._tracks):
            if ti not in used and all(track.track_id != r.track_id for r in result):
                track.missed += 1
        self._tracks = [t for t in self._tracks if t.missed <= self.max_missed]
        return result

    def _smooth(self, track: _Track, landmarks: Landmarks, time_s: float) -> Landmarks:
        if not self.smoothing:
            return landmarks
        x0, y0, x1, y1 = landmarks.box()
        object_scale = max((x1 - x0 + y1 - y0) / 2, 1e-6)
        image = track.image_filter.apply(landmarks.image, time_s, 1.0 / object_scale)
        world = track.world_filter.apply(landmarks.world, time_s)
        return replace(landmarks, image=image, world=world)
