"""Stable track ids and jitter smoothing across video frames.

Matching is greedy on a cost mixing box overlap and keypoint distance, which is enough for the handful of
people MoveNet multipose reports (at most 6); smoothing is an exponential moving average per keypoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pose_service.pipeline.matching import box_iou, greedy_match
from pose_service.pipeline.people import Person


def keypoint_distance(a: Person, b: Person, min_keypoint_score: float) -> float:
    """Mean distance of keypoints both see, relative to the larger box diagonal (1.0 when none are shared)."""
    shared = (a.keypoints[:, 2] >= min_keypoint_score) & (b.keypoints[:, 2] >= min_keypoint_score)
    if not shared.any():
        return 1.0
    diagonal = max(
        np.hypot(a.box[2] - a.box[0], a.box[3] - a.box[1]), np.hypot(b.box[2] - b.box[0], b.box[3] - b.box[1]), 1.0
    )
    distances = np.hypot(*(a.keypoints[shared, :2] - b.keypoints[shared, :2]).T)
    return float(distances.mean() / diagonal)


def match_cost(track: Person, person: Person, min_keypoint_score: float) -> float:
    return 0.5 * (1.0 - box_iou(track.box, person.box)) + 0.5 * min(
        1.0, keypoint_distance(track, person, min_keypoint_score)
    )


@dataclass
class _Track:
    track_id: int
    last: Person
    missed: int = 0


@dataclass
class Tracker:
    smoothing: float = 0.5  # weight of the previous position: 0 disables smoothing
    max_cost: float = 0.7
    max_missed: int = 5
    min_keypoint_score: float = 0.3
    _tracks: list[_Track] = field(default_factory=list)
    _next_id: int = 1

    def update(self, people: list[Person]) -> list[Person]:
        assigned = greedy_match(
            (
                (match_cost(t.last, p, self.min_keypoint_score), ti, pi)
                for ti, t in enumerate(self._tracks)
                for pi, p in enumerate(people)
            ),
            self.max_cost,
        )
        used_tracks = set(assigned.values())
        result = []
        for pi, person in enumerate(people):
            if pi in assigned:
                track = self._tracks[assigned[pi]]
                smoothed = self._smooth(track.last.keypoints, person.keypoints)
                tracked = person.with_track(track.track_id, smoothed)
                track.last, track.missed = tracked, 0
            else:
                track = _Track(self._next_id, person.with_track(self._next_id))
                self._next_id += 1
                self._tracks.append(track)
                tracked = track.last
            result.append(tracked)
        for ti, track in enumerate(self._tracks):
            if ti not in used_tracks and track.last.track_id not in {p.track_id for p in result}:
                track.missed += 1
        self._tracks = [t for t in self._tracks if t.missed <= self.max_missed]
        return result

    def _smooth(self, previous: np.ndarray, current: np.ndarray) -> np.ndarray:
        smoothed = current.copy()
        # Only smooth points seen in both frames: a point that just reappeared should not drag its old place.
        both = (previous[:, 2] >= self.min_keypoint_score) & (current[:, 2] >= self.min_keypoint_score)
        smoothed[both, :2] = self.smoothing * previous[both, :2] + (1.0 - self.smoothing) * current[both, :2]
        return smoothed
