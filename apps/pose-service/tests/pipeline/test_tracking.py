from __future__ import annotations

import numpy as np

from pose_service.pipeline.people import Person
from pose_service.pipeline.tracking import Tracker


def _person(x: float, y: float = 100.0, size: float = 50.0) -> Person:
    keypoints = np.column_stack([x + np.linspace(0, size, 17), y + np.linspace(0, 2 * size, 17), np.full(17, 0.9)])
    return Person(0.9, (x, y, x + size, y + 2 * size), keypoints)


def test_people_keep_ids_while_they_move_and_newcomers_get_new_ones() -> None:
    tracker = Tracker(smoothing=0.0)
    first = tracker.update([_person(0), _person(300)])
    second = tracker.update([_person(310), _person(8)])  # order swapped, both moved a little
    third = tracker.update([_person(16), _person(320), _person(600)])
    assert [p.track_id for p in first] == [1, 2]
    assert [p.track_id for p in second] == [2, 1]
    assert [p.track_id for p in third] == [1, 2, 3]


def test_smoothing_damps_jitter() -> None:
    tracker = Tracker(smoothing=0.5)
    tracker.update([_person(100)])
    (smoothed,) = tracker.update([_person(110)])
    np.testing.assert_allclose(smoothed.keypoints[0, 0], 105.0)


def test_a_track_lost_for_too_long_is_forgotten() -> None:
    tracker = Tracker(smoothing=0.0, max_missed=1)
    tracker.update([_person(0)])
    tracker.update([])
    tracker.update([])
    (again,) = tracker.update([_person(0)])
    assert again.track_id == 2
